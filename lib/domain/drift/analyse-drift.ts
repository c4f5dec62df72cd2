import { analyseChange, type TAnalysis } from '../analysis/analyse-change';
import type { TIngress } from '../ingress/types';
import type { TPolicy } from '../policy/policy';
import { maxSeverity, severityRank } from '../risk/severity';
import type { TDriftState } from './compare-drift';

export type TDriftAnalysisInput = {
  state: TDriftState;
  namespace: string;
  /** Last applied manifest (null when never applied, or when the portal deleted it). */
  applied: TIngress | null;
  live: TIngress | null;
  /** Other Ingresses in the cluster, for collision checks. */
  others: readonly TIngress[];
  policy: TPolicy;
};

/**
 * The out-of-band change analysed like a proposed one, so the drift page shows the same diff and
 * risk findings a reviewer would have seen had it gone through the portal.
 * Cases:
 * - DRIFTED: applied → live as an update (or a create when the portal had deleted it), plus the
 *   `drift-detected` finding (drift is itself a finding)
 * - DELETED: applied → nothing, as a delete (`ingress-deleted` fires)
 * - UNMANAGED: nothing → live, as a create (the live object's risks as if it were proposed now)
 * - IN_SYNC: null (nothing to show)
 */
export function analyseDrift(input: TDriftAnalysisInput): TAnalysis | null {
  const { state, namespace, applied, live, others, policy } = input;
  if (state === 'IN_SYNC') return null;
  if (state === 'DELETED') return analyseChange({ action: 'delete', namespace, base: applied, proposed: null, others, policy });
  if (state === 'UNMANAGED' || !applied) return analyseChange({ action: 'create', namespace, base: null, proposed: live, others, policy });
  const change = analyseChange({ action: 'update', namespace, base: applied, proposed: live, others, policy });
  // The drift rule compares a base with the last applied revision: run it with the live object as base.
  const drift = analyseChange({
    action: 'update',
    namespace,
    base: live,
    proposed: live,
    others: [],
    policy,
    lastApplied: applied,
  }).findings.filter((f) => f.ruleId === 'drift-detected');
  const findings = [...drift.map((f) => ({ ...f, side: 'proposed' as const })), ...change.findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity),
  );
  return { ...change, findings, maxSeverity: maxSeverity(findings.map((f) => f.severity)) };
}
