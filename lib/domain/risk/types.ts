import type { TChangeAction } from '../change/lifecycle';
import type { TSemanticDiff } from '../ingress/diff-ingress';
import type { TRoutingRow } from '../ingress/routing-table';
import type { TIngress, TPathType } from '../ingress/types';
import type { TPolicy } from '../policy/policy';
import type { TSeverity } from './severity';

export type TSide = 'proposed' | 'base';

/** What a rule's check returns; run-rules adds the rule's metadata and the line numbers. */
export type TFindingDraft = {
  message: string;
  /** Field path in the canonical YAML of `side`; '' is the whole object. */
  path: string;
  /** Defaults to 'proposed'; 'base' for things that were removed. */
  side?: TSide;
  /** Overrides the rule's severity for this finding (e.g. private → public class change). */
  severity?: TSeverity;
};

export type TFinding = {
  ruleId: string;
  severity: TSeverity;
  title: string;
  why: string;
  reference: string;
  message: string;
  side: TSide;
  path: string;
  /** 1-based lines in the canonical YAML of `side` (what the diff shows). */
  lines: number[];
  /** 1-based lines in the text the requester typed (proposed side, when the analysis was given
   * its line map); absent in analyses stored before issue 13 or built from objects. */
  sourceLines?: number[];
};

/** A route of another Ingress in the cluster, for collision checks. */
export type TOtherRoute = {
  namespace: string;
  name: string;
  host: string;
  path: string;
  pathType: TPathType;
  backendLabel: string;
};

export type TServiceInfo = { name: string; ports: { name?: string; port: number }[] };

/** Everything a check may look at. Ingresses here are normalised. */
export type TRiskContext = {
  action: TChangeAction;
  namespace: string;
  base: TIngress | null;
  proposed: TIngress | null;
  baseRows: TRoutingRow[];
  proposedRows: TRoutingRow[];
  baseAnnotations: Record<string, string>;
  proposedAnnotations: Record<string, string>;
  diff: TSemanticDiff;
  /** Routes of the other Ingresses (all namespaces, this one excluded), keyed by host ('' = any). */
  routesByHost: Map<string, TOtherRoute[]>;
  /** Services in the namespace, or null when unknown (then dangling-backend rules stay silent). */
  services: TServiceInfo[] | null;
  policy: TPolicy;
  /** Normalised last applied revision, for drift. */
  lastApplied: TIngress | null;
  baseHash: string | null;
  lastAppliedHash: string | null;
};

export type TRiskRule = {
  /** Stable kebab-case id; shown to reviewers and used in policies and tests. */
  id: string;
  severity: TSeverity;
  title: string;
  /** One or two sentences: the attack or outage this prevents. */
  why: string;
  /** CVE or documentation URL. */
  reference: string;
  check: (ctx: TRiskContext) => TFindingDraft[];
};
