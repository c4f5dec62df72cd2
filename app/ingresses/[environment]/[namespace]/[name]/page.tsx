import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveSyncBadge, LiveSyncCard } from '@/components/history/live-sync-card';
import { VersionCompare } from '@/components/history/version-compare';
import { Card, EmptyState } from '@/components/ui/card';
import { EnvironmentBadge } from '@/components/ui/badges';
import { btnSecondary } from '@/components/ui/buttons';
import { can } from '@/lib/domain/authz/permissions';
import { ingressHistory } from '@/lib/server/history/ingress-history';
import { ingressLiveSync } from '@/lib/server/history/live-sync';
import { nextStageFor } from '@/lib/server/promotion/next-stage-for';
import { requireActor } from '@/lib/web/auth';
import { orNotFound } from '@/lib/web/page-read';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Ingress history' };

export default async function IngressHistoryPage({
  params,
}: {
  params: Promise<{ environment: string; namespace: string; name: string }>;
}) {
  const p = await params;
  const environment = decodeURIComponent(p.environment);
  const namespace = decodeURIComponent(p.namespace);
  const name = decodeURIComponent(p.name);
  const actor = await requireActor(`/ingresses/${p.environment}/${p.namespace}/${p.name}`);
  const history = await orNotFound(ingressHistory(actor, { environment, namespace, name }));
  const sync = await ingressLiveSync(actor, { environmentId: history.environment.id, namespace, name });
  const canRestore = can(actor, 'change-request.rollback', { environmentId: history.environment.id });
  const canPropose = can(actor, 'change-request.submit', { environmentId: history.environment.id });
  // "Promote to <next>" for the current applied version (not after a delete).
  const current = history.versions.find((v) => v.isCurrent);
  const promoteTo = current && current.action !== 'DELETE' ? await nextStageFor(actor, history.environment.id) : null;
  const versions = history.versions.map((v, i) => ({
    id: v.id,
    label: `${v.request ? `#${v.request.number}` : 'version'} · ${v.action.toLowerCase()}${v.resourceVersion ? ` · rv ${v.resourceVersion}` : ''}${i === 0 ? ' (current)' : ''}`,
    yaml: v.yaml ?? '',
    appliedAt: v.appliedAt.toISOString(),
    isCurrent: v.isCurrent,
    action: v.action,
    request: v.request ? { id: v.request.id, number: v.request.number } : null,
  }));
  return (
    <div className={`space-y-5 ${history.environment.isProduction ? 'border-t-4 border-red-700 pt-3' : ''}`}>
      <p className="text-sm">
        <Link href="/environments" className="text-blue-800 hover:underline">
          ← Environments
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="break-all font-mono text-2xl font-semibold">
          {namespace}/{name}
        </h1>
        <EnvironmentBadge name={history.environment.name} isProduction={history.environment.isProduction} />
        <LiveSyncBadge state={sync.state} />
        {canPropose && (
          <Link
            href={`/requests/new?environment=${encodeURIComponent(environment)}&namespace=${encodeURIComponent(namespace)}&action=update&name=${encodeURIComponent(name)}`}
            className={`${btnSecondary} ml-auto`}
          >
            Propose a change
          </Link>
        )}
        {promoteTo && current && (
          <Link href={`/requests/new?promote=${encodeURIComponent(current.id)}`} className={btnSecondary} data-testid="promote">
            Promote to {promoteTo}
          </Link>
        )}
      </div>
      <LiveSyncCard sync={sync} />
      <Card title={`Applied versions (${versions.length})`} testId="history">
        {versions.length === 0 ? (
          <EmptyState testId="history-empty">Nothing has been applied to this Ingress through Ingress Gate yet.</EmptyState>
        ) : (
          <>
            <ul className="mb-4 space-y-1 text-sm">
              {history.versions.map((v) => (
                <li key={v.id} className="text-slate-700">
                  {v.request ? (
                    <Link href={`/requests/${v.request.id}`} className="text-blue-800 underline">
                      #{v.request.number} {v.request.title}
                    </Link>
                  ) : (
                    'Outside a request'
                  )}{' '}
                  — requested by {v.request?.requester.name ?? 'unknown'}
                  {v.request?.approvers.length
                    ? `, approved by ${v.request.approvers.map((a) => a.name).join(', ')}`
                    : v.request?.autoApproved
                      ? ', auto-approved'
                      : ''}
                </li>
              ))}
            </ul>
            <VersionCompare versions={versions} canRestore={canRestore} environmentName={history.environment.name} />
          </>
        )}
      </Card>
    </div>
  );
}
