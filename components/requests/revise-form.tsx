'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useMemo, useRef, useState, useTransition } from 'react';
import { readProposal } from '@/lib/domain/change/read-proposal';
import { reviseChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { ErrorNote } from '@/components/ui/error-note';
import { Field, input } from '@/components/ui/field';
import { LiveAnalysisPanel } from './live-analysis-panel';
import { useLiveAnalysis } from './use-live-analysis';
import { YamlEditor, type TYamlEditorHandle } from './yaml-editor';
import { YamlIssueList } from './yaml-issue-list';

type TError = { message: string; fieldErrors: { path: string; message: string; line?: number | null }[] };

/** A new revision of the proposal (approvals on earlier revisions stop counting). */
export function ReviseForm({
  id,
  environment,
  namespace,
  name,
  action,
  initialYaml,
}: {
  id: string;
  environment: string;
  namespace: string;
  name: string;
  action: 'create' | 'update';
  initialYaml: string;
}) {
  const router = useRouter();
  const editor = useRef<TYamlEditorHandle>(null);
  const [yaml, setYaml] = useState(initialYaml);
  const [note, setNote] = useState('');
  const [error, setError] = useState<TError | null>(null);
  const [isBusy, start] = useTransition();
  const deferred = useDeferredValue(yaml);
  const proposal = useMemo(() => readProposal({ yaml: deferred }, { namespace }), [deferred, namespace]);
  const { analysis } = useLiveAnalysis({
    environment,
    namespace,
    action,
    name: action === 'update' ? name : null,
    proposed: proposal.ok ? proposal.ingress : null,
  });
  const issues = [...(proposal.ok ? [] : proposal.issues), ...(error?.fieldErrors.filter((f) => f.line) ?? [])].map((i) => ({
    line: i.line ?? null,
    message: i.message,
    path: i.path,
  }));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    start(async () => {
      const r = await reviseChangeRequestAction(id, { yaml, note });
      if (r.ok) {
        router.push(`/requests/${id}`);
        router.refresh();
      } else setError({ message: r.message, fieldErrors: r.fieldErrors });
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_22rem]" aria-label="Revise request">
      <div className="min-w-0 space-y-3">
        <YamlEditor ref={editor} id="revise-yaml" label="Revised Ingress YAML" value={yaml} onChange={setYaml} issues={issues} />
        <YamlIssueList issues={issues} onLine={(line) => editor.current?.goToLine(line)} />
        <Field id="revise-note" label="What changed in this revision?">
          {(c) => <input {...c} className={input} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        {error && (
          <ErrorNote testId="revise-error">
            <p>{error.message}</p>
            <ul className="ml-4 list-disc">
              {error.fieldErrors.map((f, i) => (
                <li key={i}>
                  {f.path}: {f.message}
                </li>
              ))}
            </ul>
          </ErrorNote>
        )}
        <div className="flex gap-2">
          <button type="submit" className={btnPrimary} disabled={isBusy}>
            {isBusy ? 'Saving…' : 'Save new revision'}
          </button>
          <Link href={`/requests/${id}`} className={btnSecondary}>
            Back
          </Link>
        </div>
        <p className="text-xs text-slate-600">Saving creates a new revision; approvals given on earlier revisions no longer count.</p>
      </div>
      <LiveAnalysisPanel
        analysis={analysis}
        className="lg:self-start"
        waiting={
          !proposal.ok ? (
            <p className="text-sm text-red-800">Fix the YAML to see risk findings.</p>
          ) : (
            <p className="text-sm text-slate-600">Reading the cluster…</p>
          )
        }
      />
    </form>
  );
}
