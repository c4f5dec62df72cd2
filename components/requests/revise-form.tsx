'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import { analyseChange } from '@/lib/domain/analysis/analyse-change';
import { parseIngress } from '@/lib/domain/ingress/parse-ingress';
import type { TAnalysisContext } from '@/lib/server/queries/analysis-context';
import { analysisContextAction, reviseChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { ErrorNote, SeverityBadge } from '@/components/ui/badges';
import { btnPrimary, btnSecondary, input, label } from '@/components/ui/buttons';
import { FindingsList, PolicyResults } from './findings-list';
import { YamlEditor, type TYamlEditorHandle } from './yaml-editor';

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
  const [context, setContext] = useState<TAnalysisContext | null>(null);
  const [error, setError] = useState<{ message: string; fieldErrors: { path: string; message: string; line?: number | null }[] } | null>(
    null,
  );
  const [isBusy, start] = useTransition();
  useEffect(() => {
    void analysisContextAction({ environment, namespace, name: action === 'update' ? name : null }).then((r) => {
      if (r.ok) setContext(r.data);
    });
  }, [environment, namespace, name, action]);
  const deferred = useDeferredValue(yaml);
  const parsed = useMemo(() => parseIngress(deferred, { namespace }), [deferred, namespace]);
  const analysis = useMemo(() => {
    if (!parsed.ok || !context) return null;
    try {
      return analyseChange({
        action,
        namespace,
        base: context.base,
        proposed: parsed.ingress,
        others: context.others,
        services: context.services,
        policy: context.policy,
        lastApplied: context.lastApplied,
      });
    } catch {
      return null;
    }
  }, [parsed, context, action, namespace]);
  const issues = [...(parsed.ok ? [] : parsed.issues), ...(error?.fieldErrors.filter((f) => f.line) ?? [])].map((i) => ({
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
        {issues.length > 0 && (
          <ul className="space-y-1 text-sm text-red-800" data-testid="yaml-issues">
            {issues.map((i, n) => (
              <li key={n}>
                {i.line ? (
                  <button type="button" className="underline" onClick={() => editor.current?.goToLine(i.line!)}>
                    Line {i.line}
                  </button>
                ) : (
                  i.path || 'Manifest'
                )}
                : {i.message}
              </li>
            ))}
          </ul>
        )}
        <div>
          <label htmlFor="revise-note" className={label}>
            What changed in this revision?
          </label>
          <input id="revise-note" className={input} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
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
      <aside className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 lg:self-start" data-testid="live-analysis">
        <div className="flex items-center justify-between">
          <h2 className="text-sm font-semibold">Live analysis</h2>
          {analysis && <SeverityBadge severity={analysis.maxSeverity} />}
        </div>
        {!parsed.ok ? (
          <p className="text-sm text-red-800">Fix the YAML to see risk findings.</p>
        ) : !analysis ? (
          <p className="text-sm text-slate-600">Reading the cluster…</p>
        ) : (
          <>
            <PolicyResults policy={analysis.policy} />
            <FindingsList findings={analysis.findings} />
          </>
        )}
      </aside>
    </form>
  );
}
