import type { TChangeAction } from '../change/lifecycle';
import type { TSemanticDiff } from '../ingress/diff-ingress';
import { appendKey } from '../ingress/field-path';
import { ingressClassOf } from '../ingress/routing-table';
import type { TIngress } from '../ingress/types';
import { KNOWN_ANNOTATIONS } from '../risk/known-annotations';
import { isAtLeast, type TSeverity } from '../risk/severity';
import { matchesNameGlob } from './host-pattern';
import type { TPolicy } from './policy';

export type TAutoApproveCode =
  | 'disabled'
  | 'policy-violation'
  | 'finding-above-info'
  | 'action-not-allowed'
  | 'class-not-allowed'
  | 'unknown-annotation'
  | 'annotation-change-not-allowed'
  | 'change-not-allowed';

export type TAutoApproveReason = { code: TAutoApproveCode; message: string; path: string };

export type TAutoApproveDecision = { isAutoApprovable: boolean; /** Why not; empty when auto-approvable. */ reasons: TAutoApproveReason[] };

export type TAutoApproveSubject = {
  action: TChangeAction;
  /** Normalised. */
  base: TIngress | null;
  proposed: TIngress | null;
  diff: TSemanticDiff;
  findings: readonly { severity: TSeverity; ruleId: string }[];
  violations: readonly unknown[];
};

/**
 * Whether a change may skip human review. Positive: a change auto-approves only when everything
 * it does is on the environment's list of low-risk changes — the absence of findings proves
 * nothing, since a change no rule recognises has no findings (issue 13, class 7).
 * Every case that refuses adds a reason (the last one, `change-not-allowed`, is only looked for
 * when nothing before it refused):
 * - `disabled`: autoApproveMaxSeverity is 'none'
 * - `policy-violation`: any violation of the environment policy
 * - `finding-above-info`: any finding above `info`, whatever the threshold says (older policies
 *   stored 'low'/'medium'; they now mean 'info')
 * - `action-not-allowed`: a create or a delete (a new Ingress claims hosts; a delete stops routes)
 * - `class-not-allowed`: autoApprove.ingressClasses is set and the class (before or after) is not in it
 * - `unknown-annotation`: an annotation on the proposal that no risk rule models and
 *   autoApprove.annotations does not list (what the analyser cannot read, it cannot vouch for)
 * - `annotation-change-not-allowed`: an annotation added, changed or removed that
 *   autoApprove.annotations does not list
 * - `change-not-allowed`: anything else differs — a field the analyser does not model, TLS,
 *   labels, class, default backend, a changed or removed route, or an added path that is not on a
 *   host the Ingress already serves with a Service it already uses (allowed only with
 *   autoApprove.addPathsToExistingHosts)
 */
export function decideAutoApprove(subject: TAutoApproveSubject, policy: TPolicy): TAutoApproveDecision {
  const reasons: TAutoApproveReason[] = [];
  const add = (code: TAutoApproveCode, message: string, path = '') => reasons.push({ code, message, path });
  const rules = policy.autoApprove;

  if (policy.autoApproveMaxSeverity === 'none') add('disabled', 'auto-approval is off in this environment');
  if (subject.violations.length > 0) add('policy-violation', 'the change violates the environment policy');
  const above = subject.findings.filter((f) => isAtLeast(f.severity, 'low'));
  if (above.length > 0) add('finding-above-info', `findings above info: ${[...new Set(above.map((f) => f.ruleId))].join(', ')}`);

  const { base, proposed } = subject;
  if (subject.action !== 'update' || !base || !proposed) {
    add('action-not-allowed', `a ${subject.action} is never auto-approved; only updates within the low-risk list are`);
    return { isAutoApprovable: false, reasons };
  }

  if (rules.ingressClasses.length > 0) {
    for (const [side, ing] of [
      ['before', base],
      ['after', proposed],
    ] as const) {
      const cls = ingressClassOf(ing);
      if (cls === null || !rules.ingressClasses.includes(cls))
        add(
          'class-not-allowed',
          `ingress class ${cls ?? '(none)'} (${side}) is not one that auto-approves (${rules.ingressClasses.join(', ')})`,
          'spec.ingressClassName',
        );
    }
  }

  const isListed = (key: string) => rules.annotations.some((p) => matchesNameGlob(p, key));
  for (const key of Object.keys(proposed.metadata.annotations ?? {})) {
    if (!KNOWN_ANNOTATIONS.has(key) && !isListed(key))
      add(
        'unknown-annotation',
        `annotation ${key} is not modelled by any risk rule nor listed as low risk`,
        appendKey('metadata.annotations', key),
      );
  }
  for (const a of subject.diff.annotations) {
    if (!isListed(a.key))
      add(
        'annotation-change-not-allowed',
        `annotation ${a.key} ${a.change}; it is not on the auto-approve list`,
        appendKey('metadata.annotations', a.key),
      );
  }

  // Already refused: skip the residual comparison below (a copy and a walk of the whole Ingress,
  // the costly part on a 1,000-path manifest); the answer cannot change.
  if (reasons.length > 0) return { isAutoApprovable: false, reasons };

  // What is left once the allowed changes are undone must be the base, byte for byte: every other
  // difference — including fields no rule looks at — keeps a human in the loop.
  const residual = structuredClone(proposed);
  const baseHosts = new Set(subject.diff.routes.filter((r) => r.before).map((r) => r.host));
  const baseServices = new Set(
    subject.diff.routes.flatMap((r) => (r.before?.backend?.kind === 'service' ? [r.before.backend.service] : [])),
  );
  const removals: [number, number][] = [];
  for (const r of subject.diff.routes) {
    if (r.change !== 'added' || !r.after) continue;
    const at = /^spec\.rules\[(\d+)\]\.http\.paths\[(\d+)\]$/.exec(r.after.fieldPath);
    const isOkTarget = r.after.backend?.kind === 'service' && baseServices.has(r.after.backend.service);
    if (rules.addPathsToExistingHosts && at && baseHosts.has(r.host) && isOkTarget) removals.push([Number(at[1]), Number(at[2])]);
    else
      add(
        'change-not-allowed',
        `new route ${r.host || '(any host)'}${r.path} → ${r.after.backendLabel}: only paths on a host this Ingress already serves, to a Service it already uses, auto-approve${rules.addPathsToExistingHosts ? '' : ' (and that is turned off)'}`,
        r.after.fieldPath,
      );
  }
  for (const [rule, path] of removals.sort((x, y) => y[1] - x[1] || y[0] - x[0])) residual.spec.rules?.[rule]?.http?.paths.splice(path, 1);
  const baseAnnotations = base.metadata.annotations ?? {};
  const annotations = { ...(residual.metadata.annotations ?? {}) };
  for (const a of subject.diff.annotations) {
    if (!isListed(a.key)) continue;
    if (a.key in baseAnnotations) annotations[a.key] = baseAnnotations[a.key] as string;
    else delete annotations[a.key];
  }
  residual.metadata.annotations = annotations;
  if (Object.keys(annotations).length === 0 && base.metadata.annotations === undefined) delete residual.metadata.annotations;
  if (!reasons.some((r) => r.code === 'change-not-allowed')) {
    for (const part of differingParts(base, residual)) add('change-not-allowed', `${part} changed; only listed changes auto-approve`, part);
  }
  return { isAutoApprovable: reasons.length === 0, reasons };
}

/** Top-level parts (`metadata.labels`, `spec.tls`, …) whose content differs, in a stable order. */
function differingParts(a: TIngress, b: TIngress): string[] {
  const out: string[] = [];
  const sections: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['metadata', a.metadata as Record<string, unknown>, b.metadata as Record<string, unknown>],
    ['spec', a.spec as Record<string, unknown>, b.spec as Record<string, unknown>],
  ];
  for (const [name, x, y] of sections) {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
    for (const k of keys) if (stable(x[k]) !== stable(y[k])) out.push(`${name}.${k}`);
  }
  const rest = (i: TIngress) => stable({ ...i, metadata: undefined, spec: undefined });
  if (rest(a) !== rest(b)) out.push('(other fields)');
  return out;
}

function stable(v: unknown): string {
  return (
    JSON.stringify(v, (_k, val: unknown) =>
      val && typeof val === 'object' && !Array.isArray(val)
        ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
        : val,
    ) ?? 'undefined'
  );
}
