import Link from 'next/link';
import type { TChainedAuditEvent } from '@/lib/domain/audit/audit-chain';
import { summarizeDetails } from '@/lib/domain/audit/audit-details';

/** Shown before a cell's value when rows are stacked as cards (narrow screens), hidden in the table layout. */
function CellLabel({ children }: { children: string }) {
  return <span className="mr-1 text-[11px] font-semibold uppercase text-slate-500 md:hidden">{children}</span>;
}

/**
 * Events newest first. Every value is untrusted text and rendered as text. Below the md breakpoint
 * each row is a card (cells stacked, each with its label) so the page never scrolls sideways at
 * phone widths; from md up it is an ordinary table.
 */
export function AuditTable({ events, environmentNames }: { events: TChainedAuditEvent[]; environmentNames: Map<string, string> }) {
  if (!events.length)
    return (
      <p data-testid="audit-empty" className="rounded border border-slate-200 bg-white px-4 py-6 text-center text-sm text-slate-600">
        No events match this filter.
      </p>
    );
  return (
    <div className="rounded-lg border border-slate-200 bg-white md:overflow-x-auto">
      <table data-testid="audit-table" className="block w-full text-left text-sm md:table md:min-w-full">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="sr-only bg-slate-50 text-xs uppercase text-slate-600 md:not-sr-only md:table-header-group">
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
        <tbody className="block divide-y divide-slate-200 md:table-row-group md:divide-slate-100">
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
              <tr key={e.seq} data-testid="audit-row" className="block px-1 py-2 align-top md:table-row md:p-0">
                <td className="block px-3 py-0.5 font-mono text-xs text-slate-500 md:table-cell md:py-2">
                  <CellLabel>#</CellLabel>
                  {e.seq}
                </td>
                <td className="block px-3 py-0.5 font-mono text-xs md:table-cell md:whitespace-nowrap md:py-2">
                  <CellLabel>When (UTC)</CellLabel>
                  {e.occurredAt.replace('T', ' ').replace('Z', '')}
                </td>
                <td className="block break-words px-3 py-0.5 md:table-cell md:py-2">
                  <CellLabel>Actor</CellLabel>
                  {e.actorLabel}
                </td>
                <td className="block px-3 py-0.5 font-mono text-xs md:table-cell md:py-2">
                  <CellLabel>Action</CellLabel>
                  <span data-testid="audit-action">{e.action}</span>
                </td>
                <td className="block break-words px-3 py-0.5 md:table-cell md:py-2">
                  <CellLabel>Where</CellLabel>
                  {where || '—'}
                  {e.changeRequestId && (
                    <Link href={`/requests/${e.changeRequestId}`} className="block text-xs text-blue-700 hover:underline">
                      open request
                    </Link>
                  )}
                </td>
                <td className="block px-3 py-0.5 text-xs md:table-cell md:max-w-md md:py-2">
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
                <td className="block px-3 py-0.5 font-mono text-xs text-slate-500 md:table-cell md:py-2" title={`prev ${e.prevHash}`}>
                  <CellLabel>Hash</CellLabel>
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
