import { describe, expect, it } from 'vitest';
import { environmentSavedMessage } from './saved-message';

describe('environmentSavedMessage', () => {
  it.each([
    [[], 0, 'Nothing changed.'],
    [['requiredApprovals'], 0, 'Saved: required approvals.'],
    [['requiredApprovals', 'policy'], 0, 'Saved: required approvals and policy.'],
    [['description', 'isProduction', 'connection'], 0, 'Saved: description, production flag and cluster connection.'],
    [['somethingNew', 'alsoNew'], 0, 'Saved: other settings.'],
    [['requiredApprovals'], 1, 'Saved: required approvals. 1 pending request now has enough approvals and was approved.'],
    [['requiredApprovals'], 3, 'Saved: required approvals. 3 pending requests now have enough approvals and were approved.'],
  ])('%j, %i approved → %s', (changed, approved, expected) => {
    expect(environmentSavedMessage(changed, approved)).toBe(expected);
  });

  it('never shows a field name', () => {
    expect(environmentSavedMessage(['requiredApprovals', 'rollbackPreApproved', 'autoApproveEnabled'], 0)).not.toMatch(/[a-z][A-Z]/);
  });
});
