// What an admin reads after saving an environment: the settings they changed in words, never
// field names ("Saved (requiredApprovals)." read like a debug line).
const LABELS: Record<string, string> = {
  description: 'description',
  isProduction: 'production flag',
  requiredApprovals: 'required approvals',
  requestExpiryHours: 'request expiry',
  rollbackPreApproved: 'pre-approved rollbacks',
  autoApproveEnabled: 'auto-approval',
  policy: 'policy',
  connection: 'cluster connection',
};

/**
 * Cases: nothing changed → "Nothing changed."; one or more settings → "Saved: required approvals
 * and policy." (known names in words, unknown ones as "other settings"); requests approved by a
 * lower count → one more sentence with their number.
 */
export function environmentSavedMessage(changed: string[], approvedByNewCount: number): string {
  if (!changed.length) return 'Nothing changed.';
  const words = [...new Set(changed.map((c) => LABELS[c] ?? 'other settings'))];
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
  const text = `Saved: ${list}.`;
  if (!approvedByNewCount) return text;
  return `${text} ${approvedByNewCount} pending request${approvedByNewCount === 1 ? ' now has' : 's now have'} enough approvals and ${approvedByNewCount === 1 ? 'was' : 'were'} approved.`;
}
