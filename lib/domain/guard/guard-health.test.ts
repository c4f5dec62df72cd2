import { describe, expect, it } from 'vitest';
import { evaluateGuard, GUARD_VERSION, GUARD_VERSION_LABEL, PROTECTED_LABEL, describeGuard } from './guard-health';

const v = { [GUARD_VERSION_LABEL]: GUARD_VERSION };
const POLICY = { metadata: { labels: v } };
const BINDING = { metadata: { labels: v }, spec: { policyName: 'ingress-gate-only-writer', validationActions: ['Deny', 'Audit'] } };
const labels = new Map<string, Record<string, string>>([
  ['shop', { [PROTECTED_LABEL]: 'true' }],
  ['payments', { other: 'x' }],
]);

describe('evaluateGuard', () => {
  it.each([
    {
      name: 'all as shipped, every namespace labelled',
      policy: POLICY,
      binding: BINDING,
      ns: ['shop'],
      status: 'protected',
      problem: null,
    },
    { name: 'binding deleted', policy: POLICY, binding: null, ns: ['shop'], status: 'guard-missing', problem: /Binding .* is missing/ },
    { name: 'policy deleted', policy: null, binding: BINDING, ns: ['shop'], status: 'guard-missing', problem: /Policy .* is missing/ },
    {
      name: 'an older policy',
      policy: { metadata: { labels: { [GUARD_VERSION_LABEL]: '0' } } },
      binding: BINDING,
      ns: ['shop'],
      status: 'guard-missing',
      problem: /not the shipped version \(version 0/,
    },
    {
      name: 'binding switched to Audit only',
      policy: POLICY,
      binding: { ...BINDING, spec: { ...BINDING.spec, validationActions: ['Audit'] } },
      ns: ['shop'],
      status: 'guard-missing',
      problem: /does not deny/,
    },
    { name: 'label removed', policy: POLICY, binding: BINDING, ns: ['shop', 'payments'], status: 'unprotected-namespaces', problem: null },
    { name: 'namespace not there yet', policy: POLICY, binding: BINDING, ns: ['new'], status: 'unprotected-namespaces', problem: null },
  ])('$name → $status', ({ policy, binding, ns, status, problem }) => {
    const h = evaluateGuard({ policy, binding, namespaceLabels: labels, managedNamespaces: ns });
    expect(h.status).toBe(status);
    if (problem) expect(h.problems.join('; ')).toMatch(problem);
    else expect(h.problems).toEqual([]);
  });

  it('names the unprotected namespaces', () => {
    const h = evaluateGuard({ policy: POLICY, binding: BINDING, namespaceLabels: labels, managedNamespaces: ['shop', 'payments'] });
    expect(h).toMatchObject({ protectedNamespaces: ['shop'], unprotectedNamespaces: ['payments'] });
    expect(describeGuard(h)).toBe(`Unprotected namespaces: payments (no ${PROTECTED_LABEL}=true label).`);
  });
});
