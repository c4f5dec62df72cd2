'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { formFromIngress } from '@/lib/domain/change/ingress-form';
import { canonicalYaml, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import { decodeManifestBytes } from '@/lib/domain/ingress/decode-manifest';
import { parseIngress } from '@/lib/domain/ingress/parse-ingress';
import type { TAnalysis } from '@/lib/domain/analysis/analyse-change';
import type { TFinding } from '@/lib/domain/risk/types';
import type { TAnalysisContext } from '@/lib/server/queries/analysis-context';
import { clusterNamespacesAction, submitChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { ErrorNote } from '@/components/ui/error-note';
import { EMPTY_FORM } from './ingress-form-fields';
import { LiveAnalysisPanel } from './live-analysis-panel';
import {
  formFromState,
  lenientIngress,
  proposalOf,
  STARTER_YAML,
  type TLiveProposal,
  submissionPayload,
  type TDraft,
  type TEditorMode,
  type TEnvOption,
  type TFieldError,
} from './new-request-form-state';
import { NewRequestDeleteTarget, NewRequestManifest } from './new-request-manifest';
import { NewRequestWhere } from './new-request-where';
import { NewRequestWhy } from './new-request-why';
import { useLiveAnalysis } from './use-live-analysis';
import type { TLineIssue, TYamlEditorHandle } from './yaml-editor';

export type { TEnvOption } from './new-request-form-state';

type TInitial = {
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

function initialDraft(environments: TEnvOption[], initial: TInitial): TDraft {
  return {
    environment:
      initial.environment && environments.some((e) => e.name === initial.environment) ? initial.environment : (environments[0]?.name ?? ''),
    namespace: initial.namespace ?? '',
    action: initial.action === 'update' || initial.action === 'delete' ? initial.action : 'create',
    name: initial.name ?? '',
    mode: initial.yaml ? 'yaml' : 'form',
    yaml: initial.yaml ?? STARTER_YAML,
    form: EMPTY_FORM,
    title: initial.title ?? '',
    justification: initial.justification ?? '',
    notBefore: '',
    chosenReviewers: [],
    chosenReviewerGroups: [],
  };
}

/** Namespaces of the chosen environment's cluster (for the namespace field's suggestions). */
function useClusterNamespaces(environment: string): string[] {
  const [namespaces, setNamespaces] = useState<string[]>([]);
  useEffect(() => {
    if (!environment) return;
    let isCurrent = true;
    void clusterNamespacesAction(environment).then((r) => {
      if (isCurrent && r.ok) setNamespaces(r.data);
    });
    return () => {
      isCurrent = false;
    };
  }, [environment]);
  return namespaces;
}

/**
 * Update/delete start from the live manifest: once per picked Ingress, never over the user's edits
 * (and a promotion's YAML is never replaced by the target's live manifest). Returns `forget`, called
 * when the target changes so the next pick loads again.
 */
function useStartFromLive(draft: TDraft, context: TAnalysisContext | null, set: (patch: Partial<TDraft>) => void, initial: TInitial) {
  const [loadedFrom, setLoadedFrom] = useState<string | null>(
    initial.yaml ? `${initial.environment}/${initial.namespace}/${initial.name}` : null,
  );
  useEffect(() => {
    if (draft.action === 'create' || !context?.base) return;
    const key = `${context.environment.name}/${context.namespace}/${context.base.metadata.name}`;
    if (loadedFrom === key) return;
    const normalised = normaliseIngress(context.base);
    const form = formFromState(formFromIngress(normalised));
    set(form ? { yaml: canonicalYaml(normalised), form } : { yaml: canonicalYaml(normalised), mode: 'yaml' });
    setLoadedFrom(key);
  }, [draft.action, context, loadedFrom, set]);
  return () => setLoadedFrom(null);
}

/** Where a finding is in the text the requester typed (YAML mode only). */
const typedLineIn = (mode: TEditorMode) => (f: TFinding) => (mode === 'yaml' ? f.sourceLines?.[0] : undefined);

type TServerError = { message: string; fieldErrors: TFieldError[] };

/** The YAML editor's marks: problems (file, parse, the server's with a line) and findings at the lines typed. */
function editorMarks(
  mode: TEditorMode,
  proposal: TLiveProposal,
  serverError: TServerError | null,
  fileError: TFieldError | null,
  analysis: TAnalysis | null,
) {
  if (mode !== 'yaml') return { yamlIssues: [], findingMarks: [] };
  const problems = [...(fileError ? [fileError] : []), ...proposal.issues, ...(serverError?.fieldErrors ?? []).filter((e) => e.line)];
  const yamlIssues: TLineIssue[] = problems.map((i) => ({ line: i.line ?? null, message: i.message, path: i.path }));
  const typedLine = typedLineIn(mode);
  const findingMarks: TLineIssue[] = (analysis?.findings ?? []).flatMap((f) => {
    const line = typedLine(f);
    return line !== undefined ? [{ line, message: f.message, kind: 'finding' as const }] : [];
  });
  return { yamlIssues, findingMarks };
}

/** Switching between form and YAML without losing input, and loading a dropped or chosen file. */
function useEditorSwitch(draft: TDraft, set: (patch: Partial<TDraft>) => void) {
  const [switchNote, setSwitchNote] = useState<string | null>(null);
  const [fileError, setFileError] = useState<TFieldError | null>(null);

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
    set({ yaml: decoded.text, mode: 'yaml' });
  }

  function switchTo(next: TEditorMode) {
    setSwitchNote(null);
    if (next === draft.mode) return;
    if (next === 'yaml') return set({ yaml: canonicalYaml(lenientIngress(draft.form, draft.namespace || 'default')), mode: 'yaml' });
    const parsed = parseIngress(draft.yaml, { namespace: draft.namespace || undefined });
    if (!parsed.ok) return setSwitchNote('Fix the YAML errors first: the form can only show a valid Ingress. Your YAML is kept.');
    const form = formFromState(formFromIngress(normaliseIngress(parsed.ingress)));
    if (!form)
      return setSwitchNote(
        'This Ingress uses fields the form cannot show (a default backend, resource backends or a rule without paths); keep editing it as YAML.',
      );
    set({ form, mode: 'form' });
  }
  return { switchNote, fileError, clearFileError: () => setFileError(null), loadFile, switchTo };
}

/** The proposal as typed (read while typing pauses) and its live analysis. */
function useDraftAnalysis(draft: TDraft) {
  const deferred = useDeferredValue(draft);
  const proposal = useMemo(
    () => proposalOf(deferred.action, deferred.mode, deferred.yaml, deferred.form, deferred.namespace),
    [deferred.action, deferred.mode, deferred.yaml, deferred.form, deferred.namespace],
  );
  const live = useLiveAnalysis({
    environment: draft.environment,
    namespace: draft.namespace,
    action: draft.action,
    name: draft.action === 'create' ? null : draft.name || null,
    proposed: proposal.ingress,
    proposedSourceLines: draft.mode === 'yaml' ? proposal.sourceLines : null,
  });
  return { proposal, live };
}

/** What the analysis panel says while there is no analysis. */
function AnalysisWaiting({
  hasContext,
  draft,
  proposal,
  isRevealed,
}: {
  hasContext: boolean;
  draft: TDraft;
  proposal: TLiveProposal;
  isRevealed: boolean;
}) {
  if (!hasContext)
    return (
      <p className="text-sm text-slate-600">Choose an environment and namespace to check the change against the cluster and policy.</p>
    );
  if (draft.action !== 'delete' && !proposal.ingress) {
    // An untouched form is not an error: it just has nothing to analyse yet.
    if (!isRevealed && draft.mode === 'form')
      return <p className="text-sm text-slate-600">Fill in the proposed Ingress to see risk findings.</p>;
    const n = proposal.issues.length;
    return (
      <p className="text-sm text-red-800" data-testid="analysis-invalid">
        Fix {n} validation problem{n === 1 ? '' : 's'} to see risk findings.
      </p>
    );
  }
  return <p className="text-sm text-slate-600">{draft.action !== 'create' && !draft.name ? 'Choose the live Ingress.' : 'Analysing…'}</p>;
}

export function NewRequestForm({ environments, initial }: { environments: TEnvOption[]; initial: TInitial }) {
  const router = useRouter();
  const editor = useRef<TYamlEditorHandle>(null);
  const [draft, setDraft] = useState<TDraft>(() => initialDraft(environments, initial));
  const set = useMemo(() => (patch: Partial<TDraft>) => setDraft((d) => ({ ...d, ...patch })), []);
  const [serverError, setServerError] = useState<TServerError | null>(null);
  // Errors of the form appear after the user leaves a field or submits, never on an untouched form.
  const [isFormTouched, setFormTouched] = useState(false);
  const [isSubmitted, setSubmitted] = useState(false);
  const [isSubmitting, startSubmit] = useTransition();
  const env = environments.find((e) => e.name === draft.environment);
  const namespaces = useClusterNamespaces(draft.environment);

  const { proposal, live } = useDraftAnalysis(draft);
  const { context, analysis } = live;
  const forgetLive = useStartFromLive(draft, context, set, initial);
  const setWhere = (patch: Partial<TDraft>) => {
    set(patch);
    forgetLive();
  };

  const serverErrors = new Map((serverError?.fieldErrors ?? []).map((e) => [e.path, e.message]));
  const formErrors = new Map([...proposal.issues.map((e) => [e.path, e.message] as const), ...serverErrors]);
  const editorSwitch = useEditorSwitch(draft, set);
  const { yamlIssues, findingMarks } = editorMarks(draft.mode, proposal, serverError, editorSwitch.fileError, analysis);
  const typedLine = typedLineIn(draft.mode);
  const existsIn =
    draft.action === 'create' && context && proposal.ingress && context.names.includes(proposal.ingress.metadata.name)
      ? draft.namespace
      : null;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setServerError(null);
    setSubmitted(true);
    const payload = submissionPayload(draft, env, initial.promotedFrom);
    startSubmit(async () => {
      const result = await submitChangeRequestAction(payload);
      if (result.ok) return router.push(`/requests/${result.data.id}`);
      setServerError({ message: result.message, fieldErrors: result.fieldErrors });
    });
  }

  const isRevealed = isSubmitted || isFormTouched;
  return (
    <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]" aria-label="New change request">
      <div className="min-w-0 space-y-5">
        <NewRequestWhere
          draft={draft}
          set={setWhere}
          environments={environments}
          namespaces={namespaces}
          context={context}
          contextError={live.contextError}
          isLoadingContext={live.isLoadingContext}
          serverErrors={serverErrors}
        />
        {draft.action !== 'delete' ? (
          <NewRequestManifest
            mode={draft.mode}
            onMode={editorSwitch.switchTo}
            switchNote={editorSwitch.switchNote}
            form={draft.form}
            onForm={(form) => set({ form })}
            formErrors={formErrors}
            isRevealed={isSubmitted}
            onTouched={() => setFormTouched(true)}
            isNameLocked={draft.action === 'update'}
            classes={context?.ingressClasses ?? []}
            yaml={draft.yaml}
            onYaml={(yaml) => {
              set({ yaml });
              editorSwitch.clearFileError();
            }}
            editor={editor}
            yamlIssues={yamlIssues}
            findingMarks={findingMarks}
            onFile={(f) => void editorSwitch.loadFile(f)}
            problems={isRevealed ? proposal.issues : []}
            existsIn={existsIn}
          />
        ) : (
          <NewRequestDeleteTarget
            target={draft.name ? `${draft.namespace}/${draft.name}` : null}
            yaml={context?.base ? draft.yaml : null}
          />
        )}
        <NewRequestWhy draft={draft} set={set} env={env} serverErrors={serverErrors} />
        <SubmitBar
          serverError={serverError}
          isSubmitting={isSubmitting}
          env={env}
          isMissingName={draft.action !== 'create' && !draft.name}
        />
      </div>
      <LiveAnalysisPanel
        analysis={analysis}
        showRouteCounts
        typedLine={draft.mode === 'yaml' ? typedLine : undefined}
        onTypedLine={(line) => editor.current?.goToLine(line)}
        waiting={<AnalysisWaiting hasContext={context !== null} draft={draft} proposal={proposal} isRevealed={isRevealed} />}
      />
    </form>
  );
}

/** The submit-time error (with every field problem) and the buttons; production submits are red. */
function SubmitBar({
  serverError,
  isSubmitting,
  env,
  isMissingName,
}: {
  serverError: { message: string; fieldErrors: TFieldError[] } | null;
  isSubmitting: boolean;
  env: TEnvOption | undefined;
  isMissingName: boolean;
}) {
  return (
    <>
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
          disabled={isSubmitting || isMissingName}
        >
          {isSubmitting ? 'Submitting…' : `Submit for review${env?.isProduction ? ' in production' : ''}`}
        </button>
        <Link href="/" className={btnSecondary}>
          Cancel
        </Link>
      </div>
    </>
  );
}
