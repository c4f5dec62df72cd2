import Link from 'next/link';
import type { TChainedAuditEvent } from '@/lib/domain/audit/audit-chain';
import { summarizeDetails } from '@/lib/domain/audit/audit-details';

/** Events newest first. Every value is untrusted text and rendered as text. */
export function AuditTable({ events, environmentNames }: { events: TChainedAuditEvent[]; environmentNames: Map<string, string> }) {
  if (!events.length)
    return (
      <p data-testid="audit-empty" className="rounded border border-slate-200 bg-white px-4 py-6 text-center text-sm text-slate-600">
        No events match this filter.
      </p>
    );
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table data-testid="audit-table" className="min-w-full text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              #
            </th>
            <th scope="col" className="px-3 py-2">
              When (UTC)
            </th>
            <th scope="col" className="px-3 py-2">
              Actor
            </th>
            <th scope="col" className="px-3 py-2">
              Action
            </th>
            <th scope="col" className="px-3 py-2">
              Where
            </th>
            <th scope="col" className="px-3 py-2">
              Reason / before → after
            </th>
            <th scope="col" className="px-3 py-2">
              Hash
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => {
            const summary = summarizeDetails(e.details);
            const where = [
              e.environmentId ? (environmentNames.get(e.environmentId) ?? 'unknown environment') : null,
              e.namespace,
              e.ingressName,
            ]
              .filter(Boolean)
              .join(' / ');
            return (
              <tr key={e.seq} data-testid="audit-row" className="align-top">
                <td className="px-3 py-2 font-mono text-xs text-slate-500">{e.seq}</td>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{e.occurredAt.replace('T', ' ').replace('Z', '')}</td>
                <td className="px-3 py-2">{e.actorLabel}</td>
                <td data-testid="audit-action" className="px-3 py-2 font-mono text-xs">
                  {e.action}
                </td>
                <td className="px-3 py-2">
                  {where || '—'}
                  {e.changeRequestId && (
                    <Link href={`/requests/${e.changeRequestId}`} className="block text-xs text-blue-700 hover:underline">
                      open request
                    </Link>
                  )}
                </td>
                <td className="max-w-md px-3 py-2 text-xs">
                  {e.reason && <p className="whitespace-pre-wrap break-words">{e.reason}</p>}
                  {(summary.before !== null || summary.after !== null) && (
                    <p className="mt-1 break-words">
                      <span className="text-slate-500">before:</span> {summary.before ?? '—'} <span aria-hidden="true">→</span>
                      <span className="sr-only">after:</span> {summary.after ?? '—'}
                    </p>
                  )}
                  {summary.facts.length > 0 && (
                    <details className="mt-1">
                      <summary className="cursor-pointer text-slate-500">details</summary>
                      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2">
                        {summary.facts.map(([k, v]) => (
                          <div key={k} className="contents">
                            <dt className="text-slate-500">{k}</dt>
                            <dd className="break-all">{v}</dd>
                          </div>
                        ))}
                      </dl>
                    </details>
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs text-slate-500" title={`prev ${e.prevHash}`}>
                  {e.hash.slice(0, 12)}…
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
