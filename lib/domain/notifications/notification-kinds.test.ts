import { describe, expect, it } from 'vitest';
import { emailRecipients, type TNotificationKind } from './notification-kinds';
import { emailHtml, emailSubject, escapeHtml, slackMessage, type TNotificationSummary } from './render-notification';

const base: Omit<Parameters<typeof emailRecipients>[0], 'kind'> = {
  actorId: null,
  requesterId: 'req',
  chosenReviewerIds: [],
  eligibleApproverIds: ['a1', 'a2', 'req'],
  reviewerIds: [],
  envAdminIds: ['adm'],
  isEmailOff: () => false,
};

describe('emailRecipients', () => {
  const TABLE: [string, TNotificationKind, Partial<typeof base>, string[]][] = [
    ['review requested: every eligible approver, never the requester', 'review-requested', { actorId: 'req' }, ['a1', 'a2']],
    ['review requested: the named reviewers only when there are any', 'review-requested', { chosenReviewerIds: ['a2'] }, ['a2']],
    ['approved: the requester', 'approved', { actorId: 'a1' }, ['req']],
    ['rejected by the requester themselves: nobody', 'rejected', { actorId: 'req' }, []],
    [
      'commented: requester, named and past reviewers, not the author',
      'commented',
      { actorId: 'a1', chosenReviewerIds: ['a2'], reviewerIds: ['a1'] },
      ['req', 'a2'],
    ],
    ['applied: participants once each', 'applied', { chosenReviewerIds: ['a1'], reviewerIds: ['a1', 'a2'] }, ['req', 'a1', 'a2']],
    ['drift: the environment admins', 'drift-detected', { requesterId: null }, ['adm']],
    ['a user who turned the kind off is skipped', 'approved', { isEmailOff: (id: string) => id === 'req' }, []],
  ];
  it.each(TABLE)('%s', (_name, kind, over, expected) => {
    expect(emailRecipients({ ...base, ...over, kind })).toEqual(expected);
  });
});

const summary: TNotificationSummary = {
  kind: 'review-requested',
  eventId: 'e1',
  occurredAt: '2026-11-29T00:00:00.000Z',
  actor: 'mallory@example.com',
  environment: 'prod',
  request: {
    id: 'r1',
    number: 7,
    title: '<img src=x onerror=alert(1)>\r\nBcc: x@evil',
    status: 'PENDING',
    revision: 2,
    requester: 'M <m@x>',
  },
  target: { namespace: 'shop', name: 'web', action: 'UPDATE' },
  risk: { maxSeverity: 'high', findingCount: 1, top: [{ severity: 'high', title: '<script>' }] },
  changedRoutes: [{ host: 'a.example.com', path: '/"><x>', before: null, after: 'svc:80' }],
  comment: null,
  reason: null,
  link: 'https://gate.example/requests/r1?revision=2&x="',
};

describe('rendering', () => {
  it('escapes every piece of untrusted text in the HTML body', () => {
    const html = emailHtml(summary);
    expect(html).not.toMatch(/<img|<script>|<x>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('href="https://gate.example/requests/r1?revision=2&amp;x=&quot;"');
  });
  it('keeps line breaks out of the subject (no header injection)', () => {
    expect(emailSubject(summary)).not.toMatch(/[\r\n]/);
  });
  it('escapes Slack mrkdwn control characters', () => {
    expect(JSON.stringify(slackMessage(summary))).not.toContain('/"><x>');
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});
