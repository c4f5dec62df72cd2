import Link from 'next/link';
import type { Metadata } from 'next';
import { DriftItem } from '@/components/drift/drift-item';
import { EmptyState } from '@/components/ui/card';
import { EnvironmentBadge } from '@/components/ui/badges';
import { ErrorNote } from '@/components/ui/error-note';
import { listDrift, type TDriftOverview } from '@/lib/server/drift/list-drift';
import { AppError } from '@/lib/server/errors';
import { requireActor } from '@/lib/web/auth';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Drift' };

export default async function DriftPage({ searchParams }: { searchParams: Promise<{ environment?: string | string[] }> }) {
  const params = await searchParams;
  const requested = typeof params.environment === 'string' && params.environment ? params.environment : null;
  const actor = await requireActor(requested ? `/drift?environment=${encodeURIComponent(requested)}` : '/drift');
  let overview: TDriftOverview;
  try {
    overview = await listDrift(actor, requested);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">Drift</h1>
        <ErrorNote>{error.message}</ErrorNote>
      </div>
    );
  }
  const { environments, selected, records, permissions } = overview;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Drift</h1>
        <p className="max-w-3xl text-sm text-slate-700">
          Ingresses that no longer match what was last applied through Ingress Gate: changed or deleted directly in the cluster, or created
          there without review. The worker watches every environment and records each change the first time it sees it.
        </p>
      </div>

      {environments.length > 0 && (
        <nav aria-label="Environments" className="flex flex-wrap gap-2" data-testid="drift-environments">
          {environments.map((e) => {
            const isCurrent = e.id === selected?.id;
            return (
              <Link
                key={e.id}
                href={`/drift?environment=${encodeURIComponent(e.name)}`}
                aria-current={isCurrent ? 'page' : undefined}
                className={`flex items-center gap-2 rounded border px-3 py-1.5 text-sm ${isCurrent ? 'border-blue-700 bg-blue-50' : 'border-slate-300 bg-white hover:bg-slate-100'}`}
              >
                <EnvironmentBadge name={e.name} isProduction={e.isProduction} />
                <span data-testid="drift-open-count" className={e.open ? 'font-semibold text-amber-900' : 'text-slate-600'}>
                  {e.open ? `${e.open} to look at` : 'in sync'}
                </span>
              </Link>
            );
          })}
        </nav>
      )}

      {!selected ? (
        <EmptyState>No environments yet.</EmptyState>
      ) : (
        <section aria-labelledby="drift-list" className="space-y-4">
          <h2 id="drift-list" className="text-lg font-semibold">
            {selected.name}: {selected.counts.DRIFTED} drifted, {selected.counts.DELETED} deleted, {selected.counts.UNMANAGED} unmanaged,{' '}
            {selected.counts.IN_SYNC} in sync
          </h2>
          {selected.disabledAt && (
            <ErrorNote testId="drift-disabled">
              This environment is disabled: drift is not being watched and no requests are accepted.
            </ErrorNote>
          )}
          {records.length === 0 ? (
            <EmptyState testId="drift-empty">
              Every Ingress managed by Ingress Gate in {selected.name} matches its last applied version.
            </EmptyState>
          ) : (
            records.map((item) => (
              <DriftItem
                key={item.id}
                item={item}
                canRestore={permissions.canRestore}
                canAdopt={permissions.canAdopt}
                rollbackPreApproved={selected.rollbackPreApproved}
              />
            ))
          )}
        </section>
      )}
    </div>
  );
}
