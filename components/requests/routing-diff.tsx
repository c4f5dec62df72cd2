import type { TSemanticDiff } from '@/lib/domain/ingress/diff-ingress';
import { EmptyState } from '@/components/ui/card';

const CHANGE: Record<string, { text: string; cls: string }> = {
  added: { text: 'added', cls: 'bg-emerald-50 text-emerald-900' },
  removed: { text: 'removed', cls: 'bg-red-50 text-red-900 line-through decoration-red-400' },
  changed: { text: 'changed', cls: 'bg-amber-50 text-amber-950' },
  unchanged: { text: 'same', cls: 'text-slate-600' },
};

/** host + path → service:port and TLS, before and after; the change column is text, not only colour. */
export function RoutingDiff({ diff }: { diff: TSemanticDiff }) {
  return (
    <div className="space-y-4" data-testid="routing-diff">
      {diff.routes.length === 0 ? (
        <EmptyState>No routes on either side.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Routing table before and after the change</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-2">
                  Change
                </th>
                <th scope="col" className="py-1 pr-2">
                  Host
                </th>
                <th scope="col" className="py-1 pr-2">
                  Path
                </th>
                <th scope="col" className="py-1 pr-2">
                  Before
                </th>
                <th scope="col" className="py-1 pr-2">
                  After
                </th>
                <th scope="col" className="py-1 pr-2">
                  TLS before → after
                </th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs">
              {diff.routes.map((r, i) => (
                <tr key={i} data-change={r.change} className={`border-t border-slate-100 ${CHANGE[r.change]?.cls ?? ''}`}>
                  <td className="py-1 pr-2 font-sans font-semibold">{CHANGE[r.change]?.text}</td>
                  <td className="py-1 pr-2">{r.host || '*'}</td>
                  <td className="py-1 pr-2">
                    {r.path} <span className="text-slate-500">({r.pathType})</span>
                  </td>
                  <td className="py-1 pr-2">{r.before?.backendLabel ?? '—'}</td>
                  <td className="py-1 pr-2">{r.after?.backendLabel ?? '—'}</td>
                  <td className="py-1 pr-2">
                    {r.before ? (r.before.tlsSecret ?? 'none') : '—'} → {r.after ? (r.after.tlsSecret ?? 'none') : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(diff.ingressClass || diff.annotations.length > 0 || diff.tls.length > 0 || diff.defaultBackend) && (
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          {diff.ingressClass && (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Ingress class</dt>
              <dd className="font-mono text-xs">
                {diff.ingressClass.before ?? 'none'} → {diff.ingressClass.after ?? 'none'}
              </dd>
            </div>
          )}
          {diff.defaultBackend && (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Default backend</dt>
              <dd className="font-mono text-xs">
                {diff.defaultBackend.before ?? 'none'} → {diff.defaultBackend.after ?? 'none'}
              </dd>
            </div>
          )}
          {diff.tls.length > 0 && (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">TLS by host</dt>
              {diff.tls.map((t) => (
                <dd key={t.host} className="font-mono text-xs">
                  {t.host}: {t.before ?? 'not covered'} → {t.after ?? 'not covered'}
                </dd>
              ))}
            </div>
          )}
          {diff.annotations.length > 0 && (
            <div className="sm:col-span-2">
              <dt className="text-xs font-semibold uppercase text-slate-500">Annotations</dt>
              {diff.annotations.map((a) => (
                <dd key={a.key} className="break-all font-mono text-xs" data-testid="annotation-change">
                  <span className="font-sans font-semibold">{a.change}</span> {a.key}: {a.before ?? '∅'} → {a.after ?? '∅'}
                </dd>
              ))}
            </div>
          )}
        </dl>
      )}
    </div>
  );
}
