// Public API of the domain layer. Everything here is pure: no I/O, no clock, no framework.
export type * from './ingress/types';
export {
  parseIngress,
  MAX_MANIFEST_BYTES,
  MAX_ALIAS_COUNT,
  MAX_ALIAS_EXPANSION,
  MAX_DEPTH,
  MAX_LINE_LENGTH,
  type TParseResult,
} from './ingress/parse-ingress';
export { decodeManifestBytes } from './ingress/decode-manifest';
export { validateIngressObject, removedApiVersionMessage, INGRESS_CLASS_ANNOTATION } from './ingress/validate-ingress';
export { normaliseIngress, canonicalYaml, contentHash, LAST_APPLIED_ANNOTATION } from './ingress/normalise-ingress';
export {
  diffIngress,
  type TSemanticDiff,
  type TRouteChange,
  type TMapChange,
  type TValueChange,
  type TTlsHostChange,
} from './ingress/diff-ingress';
export { routingTable, ingressClassOf, type TRoutingRow, type TBackendRef } from './ingress/routing-table';
export { formatPath } from './ingress/field-path';
export { RULES } from './risk/rules';
export { SEVERITIES, ZSeverity, severityRank, maxSeverity, type TSeverity } from './risk/severity';
export type { TRiskRule, TFinding, TFindingDraft, TRiskContext, TServiceInfo, TOtherRoute } from './risk/types';
export {
  ZPolicy,
  DEFAULT_POLICY,
  evaluatePolicy,
  type TPolicy,
  type TPolicyInput,
  type TPolicyResult,
  type TPolicyEvaluation,
} from './policy/policy';
export { matchesHostPattern } from './policy/host-pattern';
export { decideAutoApprove, type TAutoApproveDecision, type TAutoApproveReason } from './policy/auto-approve';
export { analyseChange, type TAnalysis, type TAnalysisInput } from './analysis/analyse-change';
export { resolveRoute, type TRouteMatch } from './routing/resolve-route';
export {
  findDisallowedCharacter,
  findDisallowedInValue,
  isCleanText,
  type TDisallowedCharacter,
  type TDisallowedInValue,
} from './text/disallowed-characters';
