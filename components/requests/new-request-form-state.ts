import type { TChangeAction } from '@/lib/domain/change/lifecycle';
import { formFromIngress, ingressFromForm, ZIngressForm } from '@/lib/domain/change/ingress-form';
import { readProposal } from '@/lib/domain/change/read-proposal';
import type { TLineMap } from '@/lib/domain/ingress/canonical-yaml';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { TFormState } from './ingress-form-fields';
import type { TGroupOption } from './reviewer-group-picker';

// The new-request form's pure parts: its option types, the starter manifest, the string-only form
// state ↔ ZIngressForm conversions, the proposal read while typing and the submission payload.

export type TEnvOption = {
  id: string;
  name: string;
  isProduction: boolean;
  requiredApprovals: number;
  description: string;
  reviewers: { id: string; name: string; email: string }[];
  reviewerGroups: TGroupOption[];
};
export type TAction = TChangeAction;
export type TEditorMode = 'form' | 'yaml';
export type TFieldError = { path: string; message: string; line?: number | null };

export const STARTER_YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: my-app
spec:
  ingressClassName: nginx-public
  tls:
    - hosts: [my-app.example.com]
      secretName: my-app-tls
  rules:
    - host: my-app.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: my-app
                port:
                  number: 80
`;

/** The form's strings in ZIngressForm's input shape (TLS hosts split on commas). */
export function formToInput(f: TFormState) {
  return {
    name: f.name,
    ingressClassName: f.ingressClassName,
    rules: f.rules.map((r) => ({
      host: r.host,
      paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, serviceName: p.serviceName, servicePort: p.servicePort })),
    })),
    tls: f.tls.map((t) => ({
      hosts: t.hosts
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      secretName: t.secretName,
    })),
    labels: f.labels,
    annotations: f.annotations,
  };
}

/** An Ingress as form strings, or null when the form cannot show it. */
export function formFromState(form: ReturnType<typeof formFromIngress>): TFormState | null {
  if (!form) return null;
  return {
    name: form.name,
    ingressClassName: form.ingressClassName,
    rules: form.rules.map((r) => ({
      host: r.host,
      paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, serviceName: p.serviceName, servicePort: String(p.servicePort) })),
    })),
    tls: form.tls.map((t) => ({ hosts: t.hosts.join(', '), secretName: t.secretName })),
    labels: form.labels,
    annotations: form.annotations,
  };
}

/** The Ingress the form describes, built leniently (for switching to YAML without losing input). */
export function lenientIngress(f: TFormState, namespace: string): TIngress {
  const parsed = ZIngressForm.safeParse(formToInput(f));
  if (parsed.success) return ingressFromForm(parsed.data, namespace);
  const raw = formToInput(f);
  return ingressFromForm(
    { ...raw, rules: raw.rules.map((r) => ({ ...r, paths: r.paths.map((p) => ({ ...p, pathType: p.pathType as 'Prefix' })) })) },
    namespace,
  );
}

export type TLiveProposal = { ingress: TIngress | null; issues: TFieldError[]; sourceLines?: TLineMap };

/** The proposal as typed so far, read by the same reader the server uses at submission. */
export function proposalOf(action: TAction, mode: TEditorMode, yaml: string, form: TFormState, namespace: string): TLiveProposal {
  if (action === 'delete') return { ingress: null, issues: [] };
  const source = mode === 'yaml' ? { yaml } : { form: formToInput(form) };
  const read = readProposal(source, { namespace: namespace || undefined, sourceLines: mode === 'yaml' });
  return read.ok ? { ingress: read.ingress, issues: [], sourceLines: read.sourceLines } : { ingress: null, issues: read.issues };
}

export type TDraft = {
  environment: string;
  namespace: string;
  action: TAction;
  name: string;
  mode: TEditorMode;
  yaml: string;
  form: TFormState;
  title: string;
  justification: string;
  notBefore: string;
  chosenReviewers: string[];
  chosenReviewerGroups: string[];
};

/** What the submit action receives: only eligible reviewers and offered groups, the name for update/delete, `notBefore` as an instant. */
export function submissionPayload(d: TDraft, env: TEnvOption | undefined, promotedFrom?: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    environment: d.environment,
    namespace: d.namespace,
    action: d.action,
    title: d.title,
    justification: d.justification,
  };
  const eligible = new Set(env?.reviewers.map((r) => r.email) ?? []);
  const reviewers = d.chosenReviewers.filter((c) => eligible.has(c));
  if (reviewers.length) payload.reviewers = reviewers;
  const groups = d.chosenReviewerGroups.filter((g) => env?.reviewerGroups.some((o) => o.name === g));
  if (groups.length) payload.reviewerGroups = groups;
  if (d.action !== 'create') payload.name = d.name;
  // datetime-local is the browser's local time; send it as an instant with its offset.
  if (d.notBefore) payload.notBefore = new Date(d.notBefore).toISOString();
  if (promotedFrom) payload.promotedFrom = promotedFrom;
  if (d.action !== 'delete') {
    if (d.mode === 'yaml') payload.yaml = d.yaml;
    else payload.form = formToInput(d.form);
  }
  return payload;
}
