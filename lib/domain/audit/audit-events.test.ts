import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, isAuditAction, isRequestAuditAction, requestEvent } from './audit-events';

describe('audit event names', () => {
  it('are unique, dotted and kebab-case', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/);
  });

  it('tells request events from others and from unknown names', () => {
    expect(isRequestAuditAction('change-request.cancelled')).toBe(true);
    expect(isRequestAuditAction('drift.detected')).toBe(false);
    expect(isAuditAction('drift.detected')).toBe(true);
    expect(isAuditAction('change-request.teleported')).toBe(false);
  });
});

describe('requestEvent', () => {
  it('narrows a known request event to its details', () => {
    const e = requestEvent('change-request.commented', { commentId: 'c', revision: 2, line: 4, side: 'base' });
    expect(e).toEqual({ action: 'change-request.commented', details: { commentId: 'c', revision: 2, line: 4, side: 'base' } });
  });

  it('keeps the name of an event this build does not know', () => {
    expect(requestEvent('change-request.teleported', {})).toEqual({ action: null, name: 'change-request.teleported' });
  });

  it.each([null, 'text', [1, 2], 7])('reads details that are not an object (%j) as empty', (details) => {
    expect(requestEvent('change-request.cancelled', details)).toEqual({ action: 'change-request.cancelled', details: {} });
  });
});
