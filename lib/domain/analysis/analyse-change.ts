import type { TChangeAction } from '../change/lifecycle';
import { diffNormalised, type TSemanticDiff } from '../ingress/diff-ingress';
import { hashNormalised, normaliseIngress, renderNormalised } from '../ingress/normalise-ingress';
import { routingTable, type TRoutingRow } from '../ingress/routing-table';
import type { TIngress } from '../ingress/types';
import { decideAutoApprove, type TAutoApproveReason } from '../policy/auto-approve';
import { evaluatePolicy, type TPolicy, type TPolicyEvaluation } from '../policy/policy';
import { indexRoutesByHost } from '../risk/route-index';
import { lineOf, runRules } from '../risk/run-rules';
import type { TLineMap } from '../ingress/canonical-yaml';
import { maxSeverity, type TSeverity } from '../risk/severity';
import type { TFinding, TServiceInfo } from '../risk/types';

export type TAnalysisInput = {
  action: TChangeAction;
  namespace: string;
  /** The live object (may carry server fields; it is normalised here). Null for create. */
  base: TIngress | null;
  /** Null for delete. */
  proposed: TIngress | null;
  /** Other Ingresses in the cluster, all namespaces, for collision checks. May include the live copy of this one. */
  others: readonly TIngress[];
  /** Services in the namespace when known; null/undefined turns the dangling-backend checks off. */
  services?: TServiceInfo[] | null;
  policy: TPolicy;
  /** The last revision applied through the portal, for drift detection. */
  lastApplied?: TIngress | null;
  /** Field path → line in the text the requester typed (parseIngress with sourceLines), so
   * proposed-side findings also carry `sourceLines` for the editor. */
  proposedSourceLines?: TLineMap | null;
  /** A rollback/restore to content applied here before: its policy breaches are warnings (evaluatePolicy). */
  isReturnToApprovedState?: boolean;
};

/** Plain data (JSON-serialisable): the server stores it, the browser renders it. */
export type TAnalysis = {
  action: TChangeAction;
  namespace: string;
  baseYaml: string | null;
  proposedYaml: string | null;
  baseHash: string | null;
  proposedHash: string | null;
  diff: TSemanticDiff;
  routes: { base: TRoutingRow[]; proposed: TRoutingRow[] };
  /** Most severe first. */
  findings: TFinding[];
  policy: TPolicyEvaluation;
  maxSeverity: TSeverity | 'none';
  /** decideAutoApprove: the change is entirely within the environment's positive low-risk list. */
  isAutoApprovable: boolean;
  /** Why it is not auto-approvable (empty when it is). */
  autoApproveReasons: TAutoApproveReason[];
};

/**
 * The one analysis entry point, called by the server (at submission and before apply) and by the
 * browser (live preview). Pure and synchronous.
 * Cases:
 * - create: base null; update: both; delete: proposed null (baseYaml only, `ingress-deleted` fires)
 * - base/proposed/lastApplied are normalised first (server fields and last-applied dropped), so
 *   hashes match the revision hash and the diff shows only authored changes
 * - `others` is indexed by host once; the Ingress itself (same namespace/name) is excluded
 * - findings carry 1-based lines into baseYaml/proposedYaml (a line map built while rendering) and,
 *   given proposedSourceLines, into the submitted text (`sourceLines`)
 * - policy is evaluated with the findings (blockOnSeverity), then auto-approvability (positive:
 *   decideAutoApprove lists every reason a change needs a human)
 */
export function analyseChange(input: TAnalysisInput): TAnalysis {
  const base = input.base ? normaliseIngress(input.base) : null;
  const proposed = input.action === 'delete' || !input.proposed ? null : normaliseIngress(input.proposed);
  const lastApplied = input.lastApplied ? normaliseIngress(input.lastApplied) : null;

  const baseRendered = base ? renderNormalised(base) : null;
  const proposedRendered = proposed ? renderNormalised(proposed) : null;
  const baseHash = base ? hashNormalised(base) : null;
  const proposedHash = proposed ? hashNormalised(proposed) : null;

  const baseRows = routingTable(base);
  const proposedRows = routingTable(proposed);
  const diff = diffNormalised(base, proposed, baseRows, proposedRows, baseHash !== null && baseHash === proposedHash);

  const subject = proposed ?? base;
  const self = subject ? { namespace: subject.metadata.namespace ?? input.namespace, name: subject.metadata.name } : null;

  const findings = runRules(
    {
      action: input.action,
      namespace: input.namespace,
      base,
      proposed,
      baseRows,
      proposedRows,
      baseAnnotations: base?.metadata.annotations ?? {},
      proposedAnnotations: proposed?.metadata.annotations ?? {},
      diff,
      routesByHost: indexRoutesByHost(input.others, self),
      services: input.services ?? null,
      policy: input.policy,
      lastApplied,
      baseHash,
      lastAppliedHash: lastApplied ? hashNormalised(lastApplied) : null,
    },
    { base: baseRendered?.lines ?? null, proposed: proposedRendered?.lines ?? null },
  );

  if (input.proposedSourceLines) {
    const typed = input.proposedSourceLines;
    for (const f of findings) if (f.side === 'proposed') f.sourceLines = lineOf(typed, f.path);
  }

  const policy = evaluatePolicy(
    { action: input.action, namespace: input.namespace, base, proposed, findings, isReturnToApprovedState: input.isReturnToApprovedState },
    input.policy,
  );
  const worst = maxSeverity(findings.map((f) => f.severity));
  const autoApprove = decideAutoApprove(
    { action: input.action, base, proposed, diff, findings, violations: policy.violations },
    input.policy,
  );
  return {
    action: input.action,
    namespace: input.namespace,
    baseYaml: baseRendered?.yaml ?? null,
    proposedYaml: proposedRendered?.yaml ?? null,
    baseHash,
    proposedHash,
    diff,
    routes: { base: baseRows, proposed: proposedRows },
    findings,
    policy,
    maxSeverity: worst,
    isAutoApprovable: autoApprove.isAutoApprovable,
    autoApproveReasons: autoApprove.reasons,
  };
}
