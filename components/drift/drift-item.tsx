import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { formatTime, plural } from '@/components/ui/format';
import type { TDriftItem } from '@/lib/server/drift/list-drift';
import { DriftActions } from './drift-actions';
import { DriftDiff } from './drift-diff';

const STATE_TEXT = {
  DRIFTED: {
    label: 'Drifted',
    cls: 'border-amber-400 bg-amber-50 text-amber-900',
    help: 'Changed outside Ingress Gate since it was last applied.',
  },
  DELETED: {
    label: 'Deleted',
    cls: 'border-red-400 bg-red-50 text-red-900',
    help: 'Deleted outside Ingress Gate; the approved state is gone from the cluster.',
  },
  UNMANAGED: {
    label: 'Unmanaged',
    cls: 'border-slate-400 bg-slate-50 text-slate-800',
    help: 'Exists in a namespace Ingress Gate manages, but was never created or changed through it (for example it was there before the namespace was managed, or another tool created it), so there is no approved version to compare with. Nothing has changed; it is simply not under review yet. Import it to review it once as a normal request: from then on changes to it go through review and edits outside Ingress Gate show up here as drift.',
  },
  IN_SYNC: { label: 'In sync', cls: 'border-emerald-400 bg-emerald-50 text-emerald-900', help: 'Matches the last applied version.' },
} as const;

export function DriftStateBadge({ state }: { state: keyof typeof STATE_TEXT }) {
  const s = STATE_TEXT[state];
  return (
    <span
      data-testid="drift-state"
      data-state={state}
      className={`inline-flex items-center rounded border px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide ${s.cls}`}
    >
      {s.label}
    </span>
  );
}

/** Values are untrusted cluster data: shown as text, shortened, never as HTML. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** One drifted, deleted or unmanaged Ingress: what changed, who changed it, its risks, the diff, and the remediations. */
export function DriftItem({
  item,
  canRestore,
  canAdopt,
  rollbackPreApproved,
}: {
  item: TDriftItem;
  canRestore: boolean;
  canAdopt: boolean;
  rollbackPreApproved: boolean;
}) {
  const { details } = item;
  const state = item.state === 'IN_SYNC' ? null : item.state;
  const analysis = details.analysis;
  const fields = details.fields.filter((f) => f.path !== '');
  const title = `${item.namespace}/${item.ingressName}`;
  return (
    <Card
      id={`drift-${item.id}`}
      testId="drift-item"
      title={
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-mono">{title}</span>
          <DriftStateBadge state={item.state} />
          {analysis && <SeverityBadge severity={analysis.maxSeverity} />}
        </span>
      }
      actions={<span className="text-xs text-slate-600">detected {formatTime(item.detectedAt)}</span>}
    >
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          {STATE_TEXT[item.state].help}
          {details.managers.length > 0 && (
            <>
              {' '}
              Changed by{' '}
              <span className="font-mono font-semibold" data-testid="drift-managers">
                {details.managers.join(', ')}
              </span>{' '}
              (field manager reported by the API server).
            </>
          )}
          {item.liveResourceVersion && <span className="text-slate-500"> Live resourceVersion {item.liveResourceVersion}.</span>}
        </p>

        {fields.length > 0 && (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm" data-testid="drift-fields">
              <caption className="sr-only">Fields that differ from the last applied version of {title}</caption>
              <thead className="text-xs text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-semibold">
                    Field
                  </th>
                  <th scope="col" className="py-1 pr-3 font-semibold">
                    Change
                  </th>
                  <th scope="col" className="py-1 pr-3 font-semibold">
                    Approved
                  </th>
                  <th scope="col" className="py-1 pr-3 font-semibold">
                    Live
                  </th>
                  <th scope="col" className="py-1 font-semibold">
                    By
                  </th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <tr key={`${f.path}-${f.change}`} className="border-t border-slate-100 align-top">
                    <td className="py-1 pr-3 font-mono text-xs break-all">{f.path}</td>
                    <td className="py-1 pr-3 text-xs">{f.change}</td>
                    <td className="py-1 pr-3 font-mono text-xs break-all">{show(f.before)}</td>
                    <td className="py-1 pr-3 font-mono text-xs break-all">{show(f.after)}</td>
                    <td className="py-1 font-mono text-xs">
                      {f.manager ? `${f.manager.manager}${f.manager.basis === 'latest-writer' ? ' (likely)' : ''}` : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {analysis && analysis.findings.length > 0 && (
          <div>
            <h3 className="mb-1 text-xs font-semibold text-slate-700">Risk findings ({analysis.findings.length})</h3>
            <ul className="space-y-1" data-testid="drift-findings">
              {analysis.findings.map((f) => (
                <li key={`${f.ruleId}-${f.path}-${f.message}`} data-rule={f.ruleId} className="flex flex-wrap items-baseline gap-2 text-sm">
                  <SeverityBadge severity={f.severity} />
                  <span className="font-medium">{f.title}</span>
                  <span className="break-words text-slate-700">{f.message}</span>
                </li>
              ))}
            </ul>
          </div>
        )}

        {analysis && (analysis.baseYaml !== null || analysis.proposedYaml !== null) && (
          <details open={item.state === 'DRIFTED'}>
            <summary className="cursor-pointer text-sm font-medium text-slate-800">
              Last applied ↔ live ({plural(fields.length || 1, 'difference')})
            </summary>
            <div className="mt-2">
              <DriftDiff applied={analysis.baseYaml ?? ''} live={analysis.proposedYaml ?? ''} findings={analysis.findings} />
            </div>
          </details>
        )}

        {item.remediation?.isOpen ? (
          <p data-testid="drift-remediation" className="flex flex-wrap items-center gap-2 text-sm">
            Answered by request
            <Link href={`/requests/${item.remediation.changeRequestId}`} className="font-semibold text-blue-800 underline">
              #{item.remediation.number}
            </Link>
            {item.remediation.status && <StatusBadge status={item.remediation.status} />}
            <span className="text-slate-600">({item.remediation.kind.toLowerCase()})</span>
          </p>
        ) : (
          state && (
            <>
              {item.remediation && (
                <p className="text-xs text-slate-600">
                  Earlier request{' '}
                  <Link href={`/requests/${item.remediation.changeRequestId}`} className="underline">
                    #{item.remediation.number}
                  </Link>{' '}
                  ended {item.remediation.status?.toLowerCase() ?? ''} without resolving this drift.
                </p>
              )}
              <DriftActions
                id={item.id}
                name={title}
                state={state}
                canRestore={canRestore}
                canAdopt={canAdopt}
                rollbackPreApproved={rollbackPreApproved}
                approvedYaml={analysis?.baseYaml ?? ''}
                liveYaml={analysis?.proposedYaml ?? ''}
              />
            </>
          )
        )}
      </div>
    </Card>
  );
}
