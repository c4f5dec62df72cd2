import type { TPromotionRules } from './promotion-rules';

/** The latest applied version of one Ingress in the earlier environment, already mapped to the target. */
export type TPriorStageCandidate = {
  namespace: string;
  name: string;
  appliedAt: Date;
  appliedBy: string | null;
  changeRequestNumber: number | null;
  /** contentHash of the applied manifest after the target's mapping rules; null when it was a delete. */
  mappedHash: string | null;
  /** When drift was first seen after appliedAt (null: none). */
  driftedAt: Date | null;
  /** When an apply of this Ingress failed after appliedAt (null: none). */
  failedAt: Date | null;
};

export type TPriorStageEvidence = {
  environment: string;
  namespace: string;
  name: string;
  appliedAt: Date;
  appliedBy: string | null;
  changeRequestNumber: number | null;
  minutesAgo: number;
};

export type TPriorStageDecision =
  | { ok: true; required: false }
  | { ok: true; required: true; evidence: TPriorStageEvidence }
  | { ok: false; onMissing: 'refuse' | 'extra-approval'; reason: string; evidence: TPriorStageEvidence | null };

/**
 * Whether a change to the target environment satisfies its prior-stage policy: the same content
 * (after the target's mapping) was applied in the named earlier environment at least N minutes ago
 * and has neither drifted nor failed there since. Cases:
 * - no prior-stage rule, or a delete (no content to compare) → ok, not required
 * - no candidate with the same mapped content → refused: "not applied in <env>"
 * - the matching content is no longer the latest there (candidates hold only the latest per Ingress) → as above
 * - drifted or failed there since → refused, naming when
 * - applied less than N minutes ago → refused, naming when it will be old enough
 * - otherwise ok, with the evidence the page shows (when, by whom, which request)
 */
export function priorStageDecision(input: {
  rule: TPromotionRules['priorStage'];
  proposedHash: string | null;
  candidates: TPriorStageCandidate[];
  now: Date;
}): TPriorStageDecision {
  const { rule, proposedHash, candidates, now } = input;
  if (!rule || proposedHash === null) return { ok: true, required: false };
  const refuse = (reason: string, evidence: TPriorStageEvidence | null): TPriorStageDecision => ({
    ok: false,
    onMissing: rule.onMissing,
    reason,
    evidence,
  });
  const matches = candidates.filter((c) => c.mappedHash === proposedHash).sort((a, b) => b.appliedAt.getTime() - a.appliedAt.getTime());
  const c = matches.find((m) => !m.driftedAt && !m.failedAt) ?? matches[0];
  if (!c) {
    return refuse(
      `This content has not been applied in ${rule.environment} (the prior stage ${rule.environment} → this environment requires it, after mapping).`,
      null,
    );
  }
  const minutesAgo = Math.floor((now.getTime() - c.appliedAt.getTime()) / 60_000);
  const evidence: TPriorStageEvidence = {
    environment: rule.environment,
    namespace: c.namespace,
    name: c.name,
    appliedAt: c.appliedAt,
    appliedBy: c.appliedBy,
    changeRequestNumber: c.changeRequestNumber,
    minutesAgo,
  };
  if (c.driftedAt) {
    return refuse(
      `${c.namespace}/${c.name} drifted in ${rule.environment} at ${c.driftedAt.toISOString()}, after it was applied; restore it there first.`,
      evidence,
    );
  }
  if (c.failedAt) {
    return refuse(
      `An apply of ${c.namespace}/${c.name} failed in ${rule.environment} at ${c.failedAt.toISOString()}, after this content was applied.`,
      evidence,
    );
  }
  const readyAt = new Date(c.appliedAt.getTime() + rule.minutes * 60_000);
  if (readyAt > now) {
    return refuse(
      `Applied in ${rule.environment} at ${c.appliedAt.toISOString()}, ${minutesAgo} min ago; ${rule.minutes} min are required, so not before ${readyAt.toISOString()}.`,
      evidence,
    );
  }
  return { ok: true, required: true, evidence };
}
