'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { analyseChange, type TAnalysis } from '@/lib/domain/analysis/analyse-change';
import { formFromIngress, ingressFromForm, ZIngressForm } from '@/lib/domain/change/ingress-form';
import { canonicalYaml, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TLineMap } from '@/lib/domain/ingress/canonical-yaml';
import { decodeManifestBytes } from '@/lib/domain/ingress/decode-manifest';
import { parseIngress } from '@/lib/domain/ingress/parse-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { validateIngressObject } from '@/lib/domain/ingress/validate-ingress';
import type { TAnalysisContext } from '@/lib/server/queries/analysis-context';
import { analysisContextAction, clusterNamespacesAction, submitChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { EnvironmentBadge, ErrorNote, SeverityBadge } from '@/components/ui/badges';
import { btnPrimary, btnSecondary, input, label } from '@/components/ui/buttons';
import { FindingsList, PolicyResults } from './findings-list';
import { EMPTY_FORM, IngressFormFields, type TFormState } from './ingress-form-fields';
import { YamlEditor, type TLineIssue, type TYamlEditorHandle } from './yaml-editor';

export type TEnvOption = {
  id: string;
  name: string;
  isProduction: boolean;
  requiredApprovals: number;
  description: string;
  reviewers: { id: string; name: string; email: string }[];
};
type TAction = 'create' | 'update' | 'delete';
type TFieldError = { path: string; message: string; line?: number | null };

const STARTER_YAML = `apiVersion: networking.k8s.io/v1
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

function formToInput(f: TFormState) {
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

function formFromState(form: ReturnType<typeof formFromIngress>): TFormState | null {
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
function lenientIngress(f: TFormState, namespace: string): TIngress {
  const parsed = ZIngressForm.safeParse(formToInput(f));
  if (parsed.success) return ingressFromForm(parsed.data, namespace);
  const raw = formToInput(f);
  return ingressFromForm(
    { ...raw, rules: raw.rules.map((r) => ({ ...r, paths: r.paths.map((p) => ({ ...p, pathType: p.pathType as 'Prefix' })) })) },
    namespace,
  );
}

type TProposal = { ingress: TIngress | null; issues: TFieldError[]; sourceLines?: TLineMap };

function readProposal(action: TAction, mode: 'form' | 'yaml', yaml: string, form: TFormState, namespace: string): TProposal {
  if (action === 'delete') return { ingress: null, issues: [] };
  if (mode === 'yaml') {
    const parsed = parseIngress(yaml, { namespace: namespace || undefined, sourceLines: true });
    return parsed.ok ? { ingress: parsed.ingress, issues: [], sourceLines: parsed.sourceLines } : { ingress: null, issues: parsed.issues };
  }
  const parsed = ZIngressForm.safeParse(formToInput(form));
  if (!parsed.success)
    return { ingress: null, issues: parsed.error.issues.map((i) => ({ path: `form.${i.path.join('.')}`, message: i.message })) };
  const ingress = ingressFromForm(parsed.data, namespace || 'default');
  return { ingress, issues: validateIngressObject(ingress, { namespace: namespace || undefined }) };
}

export function NewRequestForm({
  environments,
  initial,
}: {
  environments: TEnvOption[];
  initial: {
    environment?: string;
    namespace?: string;
    action?: string;
    name?: string;
    // A promotion: the mapped YAML, a title and justification, and the applied version it came from.
    yaml?: string;
    title?: string;
    justification?: string;
    promotedFrom?: string;
  };
}) {
  const router = useRouter();
  const editor = useRef<TYamlEditorHandle>(null);
  const [environment, setEnvironment] = useState(
    initial.environment && environments.some((e) => e.name === initial.environment) ? initial.environment : (environments[0]?.name ?? ''),
  );
  const [namespace, setNamespace] = useState(initial.namespace ?? '');
  const [action, setAction] = useState<TAction>(initial.action === 'update' || initial.action === 'delete' ? initial.action : 'create');
  const [name, setName] = useState(initial.name ?? '');
  const [mode, setMode] = useState<'form' | 'yaml'>(initial.yaml ? 'yaml' : 'form');
  const [yaml, setYaml] = useState(initial.yaml ?? STARTER_YAML);
  const [form, setForm] = useState<TFormState>(EMPTY_FORM);
  const [title, setTitle] = useState(initial.title ?? '');
  const [justification, setJustification] = useState(initial.justification ?? '');
  const [notBefore, setNotBefore] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [context, setContext] = useState<TAnalysisContext | null>(null);
  const [contextError, setContextError] = useState<string | null>(null);
  const [isLoadingContext, setLoadingContext] = useState(false);
  // A promotion's YAML must not be replaced by the target's live manifest.
  const [loadedFrom, setLoadedFrom] = useState<string | null>(
    initial.yaml ? `${initial.environment}/${initial.namespace}/${initial.name}` : null,
  );
  const [switchNote, setSwitchNote] = useState<string | null>(null);
  const [serverError, setServerError] = useState<{ message: string; fieldErrors: TFieldError[] } | null>(null);
  const [fileError, setFileError] = useState<TFieldError | null>(null);
  const [isSubmitting, startSubmit] = useTransition();
  const env = environments.find((e) => e.name === environment);

  // Namespaces of the chosen environment's cluster.
  useEffect(() => {
    if (!environment) return;
    let live = true;
    void clusterNamespacesAction(environment).then((r) => {
      if (live && r.ok) setNamespaces(r.data);
    });
    return () => {
      live = false;
    };
  }, [environment]);

  // The cluster context for live analysis: once per environment + namespace (+ name for update/delete).
  const contextName = action === 'create' ? null : name || null;
  const deferredNamespace = useDeferredValue(namespace);
  useEffect(() => {
    if (!environment || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(deferredNamespace)) {
      setContext(null);
      return;
    }
    let live = true;
    setLoadingContext(true);
    const timer = setTimeout(() => {
      void analysisContextAction({ environment, namespace: deferredNamespace, name: contextName }).then((r) => {
        if (!live) return;
        setLoadingContext(false);
        if (r.ok) {
          setContext(r.data);
          setContextError(null);
        } else {
          setContext(null);
          setContextError(r.message);
        }
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [environment, deferredNamespace, contextName]);

  // Update/delete start from the live manifest (once per picked Ingress, never over the user's edits).
  useEffect(() => {
    if (action === 'create' || !context?.base) return;
    const key = `${context.environment.name}/${context.namespace}/${context.base.metadata.name}`;
    if (loadedFrom === key) return;
    const normalised = normaliseIngress(context.base);
    setYaml(canonicalYaml(normalised));
    const f = formFromState(formFromIngress(normalised));
    if (f) setForm(f);
    else setMode('yaml');
    setLoadedFrom(key);
  }, [action, context, loadedFrom]);

  const deferredYaml = useDeferredValue(yaml);
  const deferredForm = useDeferredValue(form);
  const proposal = useMemo(
    () => readProposal(action, mode, deferredYaml, deferredForm, deferredNamespace),
    [action, mode, deferredYaml, deferredForm, deferredNamespace],
  );
  const analysis: TAnalysis | null = useMemo(() => {
    if (!context || context.namespace !== deferredNamespace) return null;
    if (action !== 'delete' && !proposal.ingress) return null;
    if (action !== 'create' && !context.base) return null;
    try {
      return analyseChange({
        action,
        namespace: context.namespace,
        base: action === 'create' ? null : context.base,
        proposed: proposal.ingress,
        others: context.others,
        services: context.services,
        policy: context.policy,
        lastApplied: context.lastApplied,
        proposedSourceLines: mode === 'yaml' ? proposal.sourceLines : null,
      });
    } catch {
      return null;
    }
  }, [context, proposal, action, deferredNamespace, mode]);

  const serverErrors = new Map((serverError?.fieldErrors ?? []).map((e) => [e.path, e.message]));
  const localErrors = new Map(proposal.issues.map((e) => [e.path, e.message]));
  const formErrors = new Map([...localErrors, ...serverErrors]);
  const yamlIssues: TLineIssue[] =
    mode === 'yaml'
      ? [...(fileError ? [fileError] : []), ...proposal.issues, ...(serverError?.fieldErrors ?? []).filter((e) => e.line)].map((i) => ({
          line: i.line ?? null,
          message: i.message,
          path: i.path,
        }))
      : [];
  // Findings at the lines the requester typed (YAML mode): marked in the gutter, clickable in the list.
  const typedLine = (f: { sourceLines?: number[] }) => (mode === 'yaml' ? f.sourceLines?.[0] : undefined);
  const findingMarks: TLineIssue[] =
    mode === 'yaml' && analysis
      ? analysis.findings.flatMap((f) =>
          typedLine(f) !== undefined ? [{ line: typedLine(f)!, message: f.message, kind: 'finding' as const }] : [],
        )
      : [];

  /** A dropped or chosen file: strict UTF-8 (bad bytes are an error at their line), then the YAML editor. */
  async function loadFile(file: File) {
    setSwitchNote(null);
    const decoded = decodeManifestBytes(new Uint8Array(await file.arrayBuffer()));
    if (!decoded.ok) {
      const issue = decoded.issues[0]!;
      setFileError({ path: file.name, message: `${file.name}: ${issue.message}`, line: issue.line });
      return;
    }
    setFileError(null);
    setYaml(decoded.text);
    setMode('yaml');
  }
  const exists = action === 'create' && context && proposal.ingress ? context.names.includes(proposal.ingress.metadata.name) : false;
  const missingName = action !== 'create' && !name;

  function switchTo(next: 'form' | 'yaml') {
    setSwitchNote(null);
    if (next === mode) return;
    if (next === 'yaml') {
      setYaml(canonicalYaml(lenientIngress(form, namespace || 'default')));
      setMode('yaml');
      return;
    }
    const parsed = parseIngress(yaml, { namespace: namespace || undefined });
    if (!parsed.ok) {
      setSwitchNote('Fix the YAML errors first: the form can only show a valid Ingress. Your YAML is kept.');
      return;
    }
    const f = formFromState(formFromIngress(normaliseIngress(parsed.ingress)));
    if (!f) {
      setSwitchNote(
        'This Ingress uses fields the form cannot show (a default backend, resource backends or a rule without paths); keep editing it as YAML.',
      );
      return;
    }
    setForm(f);
    setMode('form');
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setServerError(null);
    const payload: Record<string, unknown> = { environment, namespace, action, title, justification };
    const eligible = new Set(env?.reviewers.map((r) => r.email) ?? []);
    const reviewers = chosen.filter((c) => eligible.has(c));
    if (reviewers.length) payload.reviewers = reviewers;
    if (action !== 'create') payload.name = name;
    // datetime-local is the browser's local time; send it as an instant with its offset.
    if (notBefore) payload.notBefore = new Date(notBefore).toISOString();
    if (initial.promotedFrom) payload.promotedFrom = initial.promotedFrom;
    if (action !== 'delete') {
      if (mode === 'yaml') payload.yaml = yaml;
      else payload.form = formToInput(form);
    }
    startSubmit(async () => {
      const result = await submitChangeRequestAction(payload);
      if (result.ok) {
        router.push(`/requests/${result.data.id}`);
        return;
      }
      setServerError({ message: result.message, fieldErrors: result.fieldErrors });
    });
  }

  const classes = context?.ingressClasses ?? [];

  return (
    <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]" aria-label="New change request">
      <div className="min-w-0 space-y-5">
        <fieldset className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3">
          <legend className="px-1 text-sm font-semibold">Where</legend>
          <div>
            <label htmlFor="nr-env" className={label}>
              Environment
            </label>
            <select
              id="nr-env"
              className={input}
              value={environment}
              onChange={(e) => {
                setEnvironment(e.target.value);
                setLoadedFrom(null);
              }}
            >
              {environments.map((e) => (
                <option key={e.id} value={e.name}>
                  {e.name}
                  {e.isProduction ? ' (production)' : ''}
                </option>
              ))}
            </select>
            {env && (
              <p className="mt-1 flex items-center gap-1 text-xs text-slate-600">
                <EnvironmentBadge name={env.name} isProduction={env.isProduction} /> needs {env.requiredApprovals} approval
                {env.requiredApprovals === 1 ? '' : 's'}
              </p>
            )}
          </div>
          <div>
            <label htmlFor="nr-ns" className={label}>
              Namespace
            </label>
            <input
              id="nr-ns"
              className={input}
              list="nr-namespaces"
              value={namespace}
              aria-invalid={serverErrors.has('namespace')}
              onChange={(e) => {
                setNamespace(e.target.value.trim());
                setLoadedFrom(null);
              }}
              placeholder="e.g. shop"
            />
            <datalist id="nr-namespaces">
              {namespaces.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
            {serverErrors.get('namespace') && <p className="mt-0.5 text-xs text-red-700">{serverErrors.get('namespace')}</p>}
          </div>
          <div>
            <span className={label} id="nr-action-label">
              Change
            </span>
            <div role="radiogroup" aria-labelledby="nr-action-label" className="mt-1 flex gap-3 text-sm">
              {(['create', 'update', 'delete'] as const).map((a) => (
                <label key={a} className="inline-flex items-center gap-1">
                  <input
                    type="radio"
                    name="action"
                    value={a}
                    checked={action === a}
                    onChange={() => {
                      setAction(a);
                      setLoadedFrom(null);
                      if (a === 'create') setName('');
                    }}
                  />
                  {a.charAt(0).toUpperCase() + a.slice(1)}
                </label>
              ))}
            </div>
          </div>
          {action !== 'create' && (
            <div className="sm:col-span-3">
              <label htmlFor="nr-name" className={label}>
                Live Ingress to {action}
              </label>
              <select
                id="nr-name"
                className={input}
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setLoadedFrom(null);
                }}
                disabled={!context && !name}
              >
                <option value="">
                  {context ? (context.names.length ? 'Choose an Ingress…' : 'No Ingresses in this namespace') : 'Choose a namespace first'}
                </option>
                {(context?.names ?? (name ? [name] : [])).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              {serverErrors.get('name') && <p className="mt-0.5 text-xs text-red-700">{serverErrors.get('name')}</p>}
            </div>
          )}
          {isLoadingContext && (
            <p role="status" className="text-xs text-slate-500 sm:col-span-3">
              Reading the cluster…
            </p>
          )}
          {contextError && (
            <div className="sm:col-span-3">
              <ErrorNote testId="context-error">{contextError}</ErrorNote>
            </div>
          )}
        </fieldset>

        {action !== 'delete' ? (
          <section aria-labelledby="nr-manifest" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 id="nr-manifest" className="text-sm font-semibold">
                Proposed Ingress
              </h2>
              <div role="tablist" aria-label="Editor" className="inline-flex rounded border border-slate-300 p-0.5">
                {(['form', 'yaml'] as const).map((m) => (
                  <button
                    key={m}
                    type="button"
                    role="tab"
                    aria-selected={mode === m}
                    onClick={() => switchTo(m)}
                    className={`rounded px-3 py-1 text-sm ${mode === m ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
                  >
                    {m === 'form' ? 'Form' : 'YAML'}
                  </button>
                ))}
              </div>
            </div>
            {switchNote && (
              <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {switchNote}
              </p>
            )}
            {mode === 'form' ? (
              <IngressFormFields value={form} onChange={setForm} errors={formErrors} isNameLocked={action === 'update'} classes={classes} />
            ) : (
              <>
                <YamlEditor
                  ref={editor}
                  id="nr-yaml"
                  label="Ingress YAML"
                  value={yaml}
                  onChange={(v) => {
                    setYaml(v);
                    setFileError(null);
                  }}
                  issues={[...yamlIssues, ...findingMarks]}
                  onFile={(f) => void loadFile(f)}
                />
                <p className="text-xs text-slate-600">
                  Drop a .yaml or .json file on the editor, or{' '}
                  <label className="cursor-pointer text-blue-800 underline">
                    choose a file
                    <input
                      type="file"
                      accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
                      className="sr-only"
                      data-testid="nr-file"
                      onChange={(e) => {
                        const f = e.target.files?.[0];
                        if (f) void loadFile(f);
                        e.target.value = '';
                      }}
                    />
                  </label>
                  . Files are read as UTF-8; anything else is refused with its line.
                </p>
                {yamlIssues.length > 0 && (
                  <ul data-testid="yaml-issues" className="space-y-1 text-sm text-red-800">
                    {yamlIssues.map((i, n) => (
                      <li key={n}>
                        {i.line ? (
                          <button type="button" className="underline" onClick={() => editor.current?.goToLine(i.line!)}>
                            Line {i.line}
                          </button>
                        ) : (
                          <span>{i.path || 'Manifest'}</span>
                        )}
                        : {i.message}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
            {mode === 'form' && proposal.issues.length > 0 && (
              <p className="text-xs text-red-700" data-testid="form-issue-count">
                {proposal.issues.length} problem{proposal.issues.length === 1 ? '' : 's'}:{' '}
                {proposal.issues
                  .slice(0, 3)
                  .map((i) => i.message)
                  .join(' · ')}
              </p>
            )}
            {exists && (
              <ErrorNote testId="exists">An Ingress with this name already exists in {namespace}; propose an update instead.</ErrorNote>
            )}
          </section>
        ) : (
          <section aria-labelledby="nr-delete" className="space-y-2 rounded-lg border border-red-200 bg-white p-4">
            <h2 id="nr-delete" className="text-sm font-semibold text-red-900">
              Delete {name ? `${namespace}/${name}` : 'an Ingress'}
            </h2>
            {context?.base ? (
              <YamlEditor id="nr-delete-yaml" label="Live manifest to delete" value={yaml} readOnly issues={[]} rows={12} />
            ) : (
              <p className="text-sm text-slate-600">Choose the live Ingress to delete.</p>
            )}
          </section>
        )}

        <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-sm font-semibold">Why</legend>
          <div>
            <label htmlFor="nr-title" className={label}>
              Title
            </label>
            <input
              id="nr-title"
              className={input}
              value={title}
              required
              aria-invalid={serverErrors.has('title')}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={200}
            />
            {serverErrors.get('title') && <p className="mt-0.5 text-xs text-red-700">{serverErrors.get('title')}</p>}
          </div>
          <div>
            <label htmlFor="nr-why" className={label}>
              Justification
            </label>
            <textarea
              id="nr-why"
              className={`${input} min-h-24`}
              value={justification}
              required
              aria-invalid={serverErrors.has('justification')}
              onChange={(e) => setJustification(e.target.value)}
            />
            {serverErrors.get('justification') && <p className="mt-0.5 text-xs text-red-700">{serverErrors.get('justification')}</p>}
          </div>
          <div>
            <label htmlFor="nr-not-before" className={label}>
              Not before (optional; your local time)
            </label>
            <input
              id="nr-not-before"
              type="datetime-local"
              className={input}
              value={notBefore}
              aria-invalid={serverErrors.has('notBefore')}
              onChange={(e) => setNotBefore(e.target.value)}
            />
            <p className="mt-0.5 text-xs text-slate-600">
              Approvals still count; Ingress Gate applies it at this time or later, inside the environment&apos;s change window.
            </p>
            {serverErrors.get('notBefore') && <p className="mt-0.5 text-xs text-red-700">{serverErrors.get('notBefore')}</p>}
          </div>
          {env && env.reviewers.length > 0 && (
            <fieldset data-testid="chosen-reviewers-picker">
              <legend className={label}>Reviewers (optional)</legend>
              <p className="text-xs text-slate-600">
                Named reviewers are notified first and see it under “Needs my review”; any approver of {env.name} may still review.
              </p>
              <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                {env.reviewers.map((r) => (
                  <label key={r.id} className="inline-flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      name="reviewers"
                      value={r.email}
                      checked={chosen.includes(r.email)}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, r.email] : c.filter((x) => x !== r.email)))}
                    />
                    {r.name} <span className="text-slate-500">({r.email})</span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
        </fieldset>

        {serverError && (
          <ErrorNote testId="submit-error">
            <p className="font-semibold">{serverError.message}</p>
            {serverError.fieldErrors.length > 0 && (
              <ul className="ml-4 mt-1 list-disc">
                {serverError.fieldErrors.map((f, i) => (
                  <li key={i}>
                    {f.path ? <code>{f.path}</code> : null}
                    {f.line ? ` (line ${f.line})` : ''}: {f.message}
                  </li>
                ))}
              </ul>
            )}
          </ErrorNote>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            className={
              env?.isProduction
                ? 'inline-flex items-center rounded border border-red-800 bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-50'
                : btnPrimary
            }
            disabled={isSubmitting || missingName}
          >
            {isSubmitting ? 'Submitting…' : `Submit for review${env?.isProduction ? ' in production' : ''}`}
          </button>
          <Link href="/" className={btnSecondary}>
            Cancel
          </Link>
        </div>
      </div>

      <aside aria-labelledby="nr-analysis" className="space-y-3 lg:sticky lg:top-4 lg:self-start" data-testid="live-analysis">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="mb-2 flex items-center justify-between gap-2">
            <h2 id="nr-analysis" className="text-sm font-semibold">
              Live analysis
            </h2>
            {analysis && <SeverityBadge severity={analysis.maxSeverity} />}
          </div>
          {!context ? (
            <p className="text-sm text-slate-600">
              Choose an environment and namespace to check the change against the cluster and policy.
            </p>
          ) : action !== 'delete' && !proposal.ingress ? (
            <p className="text-sm text-red-800" data-testid="analysis-invalid">
              Fix {proposal.issues.length} validation problem{proposal.issues.length === 1 ? '' : 's'} to see risk findings.
            </p>
          ) : !analysis ? (
            <p className="text-sm text-slate-600">{action !== 'create' && !name ? 'Choose the live Ingress.' : 'Analysing…'}</p>
          ) : (
            <div className="space-y-3">
              <PolicyResults policy={analysis.policy} />
              <p className="text-xs text-slate-600">
                Routes: +{analysis.diff.routeCounts.added} −{analysis.diff.routeCounts.removed} ~{analysis.diff.routeCounts.changed}
                {analysis.diff.isIdentical ? ' · no change from the live object' : ''}
              </p>
              <FindingsList
                findings={analysis.findings}
                typedLine={mode === 'yaml' ? typedLine : undefined}
                onLine={
                  mode === 'yaml'
                    ? (f) => {
                        const line = typedLine(f);
                        if (line !== undefined) editor.current?.goToLine(line);
                      }
                    : undefined
                }
              />
            </div>
          )}
        </div>
      </aside>
    </form>
  );
}
