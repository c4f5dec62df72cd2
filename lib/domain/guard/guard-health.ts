/** The guard deploy/admission-policy.yaml installs: names, the label that protects a namespace, and its version. */
export const GUARD_POLICY_NAME = 'ingress-gate-only-writer';
export const GUARD_BINDING_NAME = 'ingress-gate-only-writer';
export const PROTECTED_LABEL = 'ingress-gate.io/protected';
/** Bumped whenever deploy/admission-policy.yaml changes what it enforces (a unit test keeps the file in step). */
export const GUARD_VERSION_LABEL = 'ingress-gate.io/guard-version';
export const GUARD_VERSION = '1';

export type TGuardObject = { metadata: { labels?: Record<string, string> }; spec?: Record<string, unknown> } | null;

export type TGuardHealth = {
  /** protected: guard installed as shipped and every managed namespace labelled. */
  status: 'protected' | 'unprotected-namespaces' | 'guard-missing';
  /** Each thing wrong with the policy or binding, as a sentence. */
  problems: string[];
  protectedNamespaces: string[];
  unprotectedNamespaces: string[];
};

function versionProblem(what: string, o: NonNullable<TGuardObject>): string | null {
  const v = o.metadata.labels?.[GUARD_VERSION_LABEL];
  return v === GUARD_VERSION
    ? null
    : `the ${what} is not the shipped version (${v ? `version ${v}` : 'no version label'}; shipped: ${GUARD_VERSION})`;
}

/**
 * The guard of one environment, from what its cluster holds. Cases:
 * - the ValidatingAdmissionPolicy or its binding is missing, is not the shipped version, or the
 *   binding does not bind the policy with the Deny action → guard-missing (nothing is enforced as shipped)
 * - otherwise, a managed namespace without `ingress-gate.io/protected=true` (or that does not
 *   exist yet) → unprotected-namespaces, naming them
 * - otherwise → protected
 * Managed namespaces are the ones the environment governs (drift's managedNamespaces).
 */
export function evaluateGuard(input: {
  policy: TGuardObject;
  binding: TGuardObject;
  namespaceLabels: ReadonlyMap<string, Record<string, string>>;
  managedNamespaces: readonly string[];
}): TGuardHealth {
  const problems: string[] = [];
  if (!input.policy) problems.push(`ValidatingAdmissionPolicy ${GUARD_POLICY_NAME} is missing`);
  else {
    const p = versionProblem(`ValidatingAdmissionPolicy ${GUARD_POLICY_NAME}`, input.policy);
    if (p) problems.push(p);
  }
  if (!input.binding) problems.push(`ValidatingAdmissionPolicyBinding ${GUARD_BINDING_NAME} is missing`);
  else {
    const p = versionProblem(`ValidatingAdmissionPolicyBinding ${GUARD_BINDING_NAME}`, input.binding);
    if (p) problems.push(p);
    const spec = (input.binding.spec ?? {}) as { policyName?: string; validationActions?: string[] };
    if (spec.policyName !== GUARD_POLICY_NAME) problems.push(`the binding binds "${spec.policyName ?? ''}", not ${GUARD_POLICY_NAME}`);
    if (!spec.validationActions?.includes('Deny')) problems.push('the binding does not deny (validationActions lacks Deny)');
  }
  const protectedNamespaces: string[] = [];
  const unprotectedNamespaces: string[] = [];
  for (const ns of [...new Set(input.managedNamespaces)].sort()) {
    (input.namespaceLabels.get(ns)?.[PROTECTED_LABEL] === 'true' ? protectedNamespaces : unprotectedNamespaces).push(ns);
  }
  const status = problems.length ? 'guard-missing' : unprotectedNamespaces.length ? 'unprotected-namespaces' : 'protected';
  return { status, problems, protectedNamespaces, unprotectedNamespaces };
}

/** One line for pages, health and notifications. */
export function describeGuard(h: TGuardHealth): string {
  if (h.status === 'guard-missing') return `Guard missing: ${h.problems.join('; ')}.`;
  if (h.status === 'unprotected-namespaces')
    return `Unprotected namespaces: ${h.unprotectedNamespaces.join(', ')} (no ${PROTECTED_LABEL}=true label).`;
  return `Protected: ${h.protectedNamespaces.length ? h.protectedNamespaces.join(', ') : 'no managed namespaces yet'}.`;
}
