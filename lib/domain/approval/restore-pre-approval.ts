/**
 * Whether a rollback or restore may skip review in an environment that pre-approves rollbacks.
 * Pre-approval exists so the person who shipped a change (or someone who could have approved it)
 * can undo it at once; it must not let anyone undo anyone's change, jump back several versions,
 * or overwrite a state nobody reviewed.
 */
export type TRestorePreApprovalInput = {
  /** The environment's "one-click rollback is pre-approved" setting. */
  isEnvironmentPreApproving: boolean;
  /** The actor requested the latest applied change (the one being undone). */
  isActorOriginalRequester: boolean;
  /** The actor may approve changes in this environment (an approver, with a review-scoped token if any). */
  isActorEligibleApprover: boolean;
  /**
   * Where the target sits in the Ingress's applied history: 'previous' = the version right before
   * the latest applied one (or "nothing" before a create); 'latest' = the latest applied version
   * itself (restoring the approved state after drift); 'older' = anything further back.
   */
  target: 'previous' | 'latest' | 'older';
  /** The live object is still exactly what the latest applied version wrote (resourceVersion). */
  isLiveUnchangedSinceLatest: boolean;
};

export type TRestorePreApproval = { isPreApproved: boolean; reason: string };

/**
 * Cases, in order:
 * - the environment does not pre-approve rollbacks → review
 * - the actor neither requested the change being undone nor may approve here → review
 * - target 'older' → review (only one step back is pre-approved)
 * - target 'previous' and the live object changed since the latest apply → review (the undo would
 *   also discard a change nobody reviewed)
 * - target 'latest' (drift restore) → pre-approved: it re-applies the state that is approved now
 *   and removes only what changed outside the portal
 * - otherwise → pre-approved
 */
export function restorePreApproval(i: TRestorePreApprovalInput): TRestorePreApproval {
  if (!i.isEnvironmentPreApproving) return { isPreApproved: false, reason: 'This environment reviews rollbacks like any change.' };
  if (!i.isActorOriginalRequester && !i.isActorEligibleApprover)
    return {
      isPreApproved: false,
      reason: 'Only the person who requested the change being undone, or an approver of this environment, can roll it back without review.',
    };
  if (i.target === 'older')
    return { isPreApproved: false, reason: 'Only a rollback to the immediately previous applied version is pre-approved.' };
  if (i.target === 'previous' && !i.isLiveUnchangedSinceLatest)
    return {
      isPreApproved: false,
      reason: 'The live Ingress changed since the last applied version, so undoing it needs review.',
    };
  return {
    isPreApproved: true,
    reason:
      i.target === 'latest'
        ? 'Pre-approved: it re-applies the state approved now.'
        : 'Pre-approved: it undoes the latest applied change, which is still live.',
  };
}
