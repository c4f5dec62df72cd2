import type { TIngress } from '@/lib/domain/ingress/types';
import { contentHash } from '@/lib/domain/ingress/normalise-ingress';
import { priorStageDecision, type TPriorStageCandidate, type TPriorStageDecision } from '@/lib/domain/promotion/prior-stage';
import {
  mapManifest,
  mapNamespace,
  NO_PROMOTION_RULES,
  ZPromotionRules,
  type TPromotionRules,
} from '@/lib/domain/promotion/promotion-rules';
import type { TTx } from '../db/client';
import { db } from '../db/client';

/** An environment's stored promotion rules (validated on every admin write). */
export function promotionRulesOf(env: { promotionRules: unknown }): TPromotionRules {
  const parsed = ZPromotionRules.safeParse(env.promotionRules ?? {});
  return parsed.success ? parsed.data : NO_PROMOTION_RULES;
}

/**
 * Gathers the earlier environment's evidence for one proposed change in `target` and lets the
 * domain rule decide (lib/domain/promotion/prior-stage.ts). Candidates are the latest applied
 * version of each Ingress with this name in a namespace that maps to the target namespace; "since"
 * means after that version was applied: a `drift.detected` or `change-request.failed` audit event
 * for that Ingress there, or a drift record that is not in sync now.
 */
export async function checkPriorStage(
  target: { promotionRules: unknown },
  proposal: { namespace: string; name: string; proposed: TIngress | null },
  now: Date,
  tx: TTx = db(),
): Promise<TPriorStageDecision> {
  const rules = promotionRulesOf(target);
  const rule = rules.priorStage;
  const proposedHash = proposal.proposed ? contentHash(proposal.proposed) : null;
  if (!rule || proposedHash === null) return priorStageDecision({ rule: null, proposedHash, candidates: [], now });
  const source = await tx.environment.findUnique({ where: { name: rule.environment }, select: { id: true } });
  if (!source)
    return {
      ok: false,
      onMissing: rule.onMissing,
      reason: `The prior-stage environment "${rule.environment}" does not exist; ask an admin to fix the policy.`,
      evidence: null,
    };
  const latest = await tx.appliedVersion.findMany({
    where: { environmentId: source.id, ingressName: proposal.name },
    orderBy: { appliedAt: 'desc' },
    distinct: ['namespace'],
    include: { appliedBy: { select: { email: true } }, changeRequest: { select: { number: true } } },
  });
  const candidates: TPriorStageCandidate[] = [];
  for (const v of latest.filter((l) => mapNamespace(l.namespace, rules) === proposal.namespace)) {
    const since = await troubleSince(tx, source.id, v.namespace, v.ingressName, v.appliedAt);
    candidates.push({
      namespace: v.namespace,
      name: v.ingressName,
      appliedAt: v.appliedAt,
      appliedBy: v.appliedBy?.email ?? null,
      changeRequestNumber: v.changeRequest?.number ?? null,
      mappedHash: v.manifest ? contentHash(mapManifest(v.manifest as unknown as TIngress, rules).ingress) : null,
      ...since,
    });
  }
  return priorStageDecision({ rule, proposedHash, candidates, now });
}

/**
 * What went wrong with one Ingress after `appliedAt`: the first `drift.detected` or
 * `change-request.failed` audit event for it there, or a drift record that is not in sync now.
 */
export async function troubleSince(
  tx: TTx,
  environmentId: string,
  namespace: string,
  ingressName: string,
  appliedAt: Date,
): Promise<{ driftedAt: Date | null; failedAt: Date | null }> {
  const where = { environmentId, namespace, ingressName, occurredAt: { gt: appliedAt } };
  const [drift, failure, record] = await Promise.all([
    tx.auditEvent.findFirst({ where: { ...where, action: 'drift.detected' }, orderBy: { seq: 'asc' }, select: { occurredAt: true } }),
    tx.auditEvent.findFirst({
      where: { ...where, action: 'change-request.failed' },
      orderBy: { seq: 'asc' },
      select: { occurredAt: true },
    }),
    tx.driftRecord.findUnique({
      where: { environmentId_namespace_ingressName: { environmentId, namespace, ingressName } },
      select: { state: true, detectedAt: true },
    }),
  ]);
  const driftedNow = record && (record.state === 'DRIFTED' || record.state === 'DELETED') ? record.detectedAt : null;
  return { driftedAt: drift?.occurredAt ?? driftedNow, failedAt: failure?.occurredAt ?? null };
}
