import type { TChangeAction } from '../change/lifecycle';
import { z } from 'zod';
import { ingressClassOf, routingTable, tlsFor } from '../ingress/routing-table';
import type { TIngress } from '../ingress/types';
import { isAtLeast, SEVERITIES, type TSeverity } from '../risk/severity';
import { matchesHostPattern, matchesNameGlob } from './host-pattern';

const ZEnforcement = z.enum(['block', 'warn']);

/** What an admin edits per environment. Every field has a default, so `{}` is a valid policy. */
export const ZPolicy = z.object({
  /** Globs like `*.example.com` (one label) or `**.example.com` (any depth); empty = any host. */
  allowedHostPatterns: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9*.-]+$/, 'host patterns use a-z, 0-9, ".", "-" and "*"'),
    )
    .default([]),
  /** Every host must be covered by a spec.tls entry. */
  requireTls: z.boolean().default(false),
  /** Effective class (ingressClassName or the legacy annotation) must be one of these; empty = any. */
  allowedIngressClasses: z.array(z.string().min(1)).default([]),
  /** Exact annotation keys, or prefixes ending in `*` (`nginx.ingress.kubernetes.io/*-snippet` works too). */
  forbiddenAnnotations: z.array(z.string().min(1)).default([]),
  /** Namespace globs (`team-*`); empty = any. */
  allowedNamespaces: z.array(z.string().min(1)).default([]),
  /** 'none' turns auto-approval off; 'info' turns it on for the low-risk changes `autoApprove`
   * lists. 'low' and 'medium' (older policies) mean 'info': a finding above info always needs a human. */
  autoApproveMaxSeverity: z.enum(['none', 'info', 'low', 'medium']).default('none'),
  /** What counts as low risk (see decideAutoApprove). Positive: anything not named here needs review. */
  autoApprove: z
    .object({
      /** Effective classes (before and after) that may auto-approve, e.g. internal-only ones; empty = any class. */
      ingressClasses: z.array(z.string().trim().min(1)).default([]),
      /** Annotation keys (globs) that may be added, changed or removed, and are known-safe when present. */
      annotations: z.array(z.string().trim().min(1)).default([]),
      /** Adding a path on a host the Ingress already serves, to a Service it already uses. */
      addPathsToExistingHosts: z.boolean().default(true),
    })
    .prefault({}),
  /** Findings at or above this severity block submission like a violation. */
  blockOnSeverity: z.enum(['never', ...SEVERITIES]).default('never'),
  /** Per check: 'block' makes newly introduced breaches violations, 'warn' only warnings. */
  enforcement: z
    .object({
      hosts: ZEnforcement.default('block'),
      tls: ZEnforcement.default('block'),
      classes: ZEnforcement.default('block'),
      annotations: ZEnforcement.default('block'),
      namespaces: ZEnforcement.default('block'),
    })
    .prefault({}),
});

export type TPolicy = z.infer<typeof ZPolicy>;
export type TPolicyInput = z.input<typeof ZPolicy>;

export const DEFAULT_POLICY: TPolicy = ZPolicy.parse({});

export type TPolicyCode =
  'namespace-not-allowed' | 'host-not-allowed' | 'tls-required' | 'class-not-allowed' | 'annotation-forbidden' | 'severity-blocked';

export type TPolicyResult = { code: TPolicyCode; message: string; path: string };

export type TPolicyEvaluation = { violations: TPolicyResult[]; warnings: TPolicyResult[] };

export type TPolicySubject = {
  action: TChangeAction;
  namespace: string;
  base: TIngress | null;
  proposed: TIngress | null;
  /** Findings of the risk rules; only their severity matters here. */
  findings?: readonly { severity: TSeverity; ruleId: string }[];
  /**
   * The proposal is a state this environment approved and applied before (a rollback or a
   * restore of an applied version): whatever it breaches, it already breached when it was live.
   */
  isReturnToApprovedState?: boolean;
};

function isForbidden(patterns: readonly string[], key: string): boolean {
  return patterns.some((p) => matchesNameGlob(p, key));
}

/**
 * Evaluates an environment's policy against a change.
 * Cases:
 * - namespace not in allowedNamespaces → per enforcement.namespaces (applies to delete too)
 * - delete: nothing else is checked (removing an Ingress cannot breach host/TLS/class rules)
 * - a host outside allowedHostPatterns (a rule without host counts as "every host")
 * - requireTls and a host not covered by spec.tls
 * - effective class not in allowedIngressClasses (none at all counts as not allowed)
 * - an annotation matching forbiddenAnnotations
 * - a finding at or above blockOnSeverity → always a violation
 * Breaches the base already had (same host, same class, same annotation value, host already
 * without TLS) are warnings, not violations: the change does not introduce them, and blocking would
 * make every edit of a legacy Ingress impossible. New breaches follow the check's enforcement.
 * Returning to an approved state (isReturnToApprovedState): host, TLS, class and annotation
 * breaches are warnings too, saying so — the state was approved and live here before, possibly
 * before the rule existed (issue 12.3). The namespace rule and blockOnSeverity still hold.
 */
export function evaluatePolicy(subject: TPolicySubject, policy: TPolicy): TPolicyEvaluation {
  const violations: TPolicyResult[] = [];
  const warnings: TPolicyResult[] = [];
  const report = (mode: 'block' | 'warn', isPreexisting: boolean, r: TPolicyResult) => {
    (mode === 'block' && !isPreexisting ? violations : warnings).push(r);
  };
  // Content checks: a breach the approved state being returned to had is pre-existing.
  const reportContent = (mode: 'block' | 'warn', isPreexisting: boolean, r: TPolicyResult) =>
    isPreexisting || !subject.isReturnToApprovedState
      ? report(mode, isPreexisting, r)
      : report(mode, true, { ...r, message: `${r.message} (as in the approved state being restored)` });
  const { base, proposed } = subject;

  if (policy.allowedNamespaces.length > 0 && !policy.allowedNamespaces.some((p) => matchesNameGlob(p, subject.namespace))) {
    report(policy.enforcement.namespaces, false, {
      code: 'namespace-not-allowed',
      message: `namespace "${subject.namespace}" is not allowed in this environment (allowed: ${policy.allowedNamespaces.join(', ')})`,
      path: 'metadata.namespace',
    });
  }

  if (proposed && subject.action !== 'delete') {
    const baseHosts = new Set(routingTable(base).map((r) => r.host));
    const hosts = new Map<string, string>();
    proposed.spec.rules?.forEach((r, i) => {
      const h = r.host ?? '';
      if (!hosts.has(h)) hosts.set(h, `spec.rules[${i}].host`);
    });
    if (policy.allowedHostPatterns.length > 0) {
      for (const [host, path] of hosts) {
        if (policy.allowedHostPatterns.some((p) => matchesHostPattern(p, host))) continue;
        reportContent(policy.enforcement.hosts, baseHosts.has(host), {
          code: 'host-not-allowed',
          message: `${host === '' ? 'a rule without host (serves every host)' : `host "${host}"`} is outside the allowed patterns (${policy.allowedHostPatterns.join(', ')})`,
          path: host === '' ? path.replace(/\.host$/, '') : path,
        });
      }
    }
    if (policy.requireTls) {
      for (const [host, path] of hosts) {
        if (host !== '' && tlsFor(proposed.spec.tls, host)) continue;
        const wasUncovered = baseHosts.has(host) && (host === '' || !tlsFor(base?.spec.tls, host));
        reportContent(policy.enforcement.tls, wasUncovered, {
          code: 'tls-required',
          message:
            host === ''
              ? 'TLS is required, and a rule without host cannot be covered by a TLS entry'
              : `TLS is required: host "${host}" is not covered by spec.tls`,
          path: host === '' ? path.replace(/\.host$/, '') : path,
        });
      }
    }
    if (policy.allowedIngressClasses.length > 0) {
      const cls = ingressClassOf(proposed);
      if (cls === null || !policy.allowedIngressClasses.includes(cls)) {
        reportContent(policy.enforcement.classes, base !== null && ingressClassOf(base) === cls, {
          code: 'class-not-allowed',
          message:
            cls === null
              ? `no ingress class set; allowed: ${policy.allowedIngressClasses.join(', ')}`
              : `ingress class "${cls}" is not allowed (allowed: ${policy.allowedIngressClasses.join(', ')})`,
          path:
            proposed.spec.ingressClassName !== undefined || cls === null
              ? 'spec.ingressClassName'
              : 'metadata.annotations[kubernetes.io/ingress.class]',
        });
      }
    }
    if (policy.forbiddenAnnotations.length > 0) {
      const before = base?.metadata.annotations ?? {};
      for (const [key, value] of Object.entries(proposed.metadata.annotations ?? {})) {
        if (!isForbidden(policy.forbiddenAnnotations, key)) continue;
        reportContent(policy.enforcement.annotations, before[key] === value, {
          code: 'annotation-forbidden',
          message: `annotation "${key}" is forbidden in this environment`,
          path: `metadata.annotations[${key}]`,
        });
      }
    }
  }

  if (policy.blockOnSeverity !== 'never') {
    const threshold = policy.blockOnSeverity;
    const blocking = (subject.findings ?? []).filter((f) => isAtLeast(f.severity, threshold));
    if (blocking.length > 0) {
      const ids = [...new Set(blocking.map((f) => f.ruleId))].join(', ');
      violations.push({ code: 'severity-blocked', message: `findings at or above "${threshold}" block submission here: ${ids}`, path: '' });
    }
  }
  return { violations, warnings };
}
