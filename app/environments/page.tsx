import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { Card, EmptyState } from '@/components/ui/card';
import { EnvironmentBadge } from '@/components/ui/badges';
import { GuardStatus } from '@/components/environments/guard-status';
import { ErrorNote } from '@/components/ui/error-note';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { AppError } from '@/lib/server/errors';
import { listVisibleEnvironments } from '@/lib/server/queries/list-environments';
import { listLiveIngresses } from '@/lib/server/queries/list-live-ingresses';
import { requireActor } from '@/lib/web/auth';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Environments' };

export default async function EnvironmentsPage() {
  const actor = await requireActor('/environments');
  const environments = (await listVisibleEnvironments(actor)).filter((e) => can(actor, 'ingress.view', { environmentId: e.id }));
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Environments</h1>
        <p className="text-sm text-slate-600">
          The Ingresses live in each environment&apos;s cluster, read now. Changes go through a request.
        </p>
      </div>
      {environments.length === 0 && <EmptyState>You cannot see any environment yet.</EmptyState>}
      {environments.map((env) => (
        <Card
          key={env.id}
          id={`env-${env.name}`}
          testId="environment-card"
          title={
            <span className="flex flex-wrap items-center gap-2">
              <EnvironmentBadge name={env.name} isProduction={env.isProduction} />
              {env.connectionKind === 'SANDBOX' && (
                <span
                  data-testid="sandbox-label"
                  className="rounded border border-dashed border-slate-400 bg-slate-50 px-1.5 py-0.5 text-xs font-medium text-slate-700"
                >
                  Sandbox cluster (simulated, not a real cluster)
                </span>
              )}
              <span className="text-xs font-normal text-slate-600">
                {env.description} · {env.requiredApprovals} approval{env.requiredApprovals === 1 ? '' : 's'}
                {env.disabledAt ? ' · disabled' : ''}
              </span>
            </span>
          }
        >
          <GuardStatus health={env.guardHealth} checkedAt={env.guardCheckedAt} />
          <Suspense
            fallback={
              <p role="status" className="text-sm text-slate-500">
                Reading the cluster…
              </p>
            }
          >
            <LiveIngresses actor={actor} environment={env.name} />
          </Suspense>
        </Card>
      ))}
    </div>
  );
}

async function LiveIngresses({ actor, environment }: { actor: TActor; environment: string }) {
  let result;
  try {
    result = await listLiveIngresses(actor, environment);
  } catch (error) {
    if (error instanceof AppError) return <ErrorNote testId="cluster-error">{error.message}</ErrorNote>;
    throw error;
  }
  if (result.items.length === 0) return <EmptyState>No Ingresses in this cluster.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[36rem] text-left text-sm" data-testid="live-ingresses">
        <caption className="sr-only">Live Ingresses in {environment}</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3">
              Ingress
            </th>
            <th scope="col" className="py-1 pr-3">
              Class
            </th>
            <th scope="col" className="py-1 pr-3">
              Hosts
            </th>
            <th scope="col" className="py-1 pr-3">
              Paths
            </th>
            <th scope="col" className="py-1 pr-3">
              TLS
            </th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((i) => (
            <tr key={`${i.namespace}/${i.name}`} className="border-t border-slate-100">
              <td className="py-1.5 pr-3 font-mono text-xs">
                <Link
                  href={`/ingresses/${encodeURIComponent(environment)}/${encodeURIComponent(i.namespace)}/${encodeURIComponent(i.name)}`}
                  className="text-blue-800 hover:underline"
                >
                  {i.namespace}/{i.name}
                </Link>
              </td>
              <td className="py-1.5 pr-3 text-xs">{i.ingressClass ?? <span className="text-amber-800">none</span>}</td>
              <td className="py-1.5 pr-3 font-mono text-xs">{i.hosts.join(', ')}</td>
              <td className="py-1.5 pr-3 text-xs">{i.paths}</td>
              <td className="py-1.5 pr-3 text-xs">
                {i.tlsHosts.length ? (
                  `${i.tlsHosts.length} host${i.tlsHosts.length === 1 ? '' : 's'}`
                ) : (
                  <span className="font-semibold text-red-800">no TLS</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
