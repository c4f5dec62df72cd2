import type { Metadata } from 'next';
import { NewRequestForm } from '@/components/requests/new-request-form';
import { EmptyState } from '@/components/ui/badges';
import { can } from '@/lib/domain/authz/permissions';
import { listVisibleEnvironments } from '@/lib/server/queries/list-environments';
import { requireActor } from '@/lib/web/auth';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New request' };

type TSearch = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const actor = await requireActor('/requests/new');
  const sp = await searchParams;
  const environments = (await listVisibleEnvironments(actor)).filter(
    (e) => !e.disabledAt && can(actor, 'change-request.submit', { environmentId: e.id }),
  );
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">New change request</h1>
        <p className="text-sm text-slate-600">
          Propose a create, update or delete of an Ingress. It is analysed as you type, reviewed by others, then applied by Ingress Gate.
        </p>
      </div>
      {environments.length === 0 ? (
        <EmptyState testId="no-environments">You are not a requester in any environment. Ask an admin for the requester role.</EmptyState>
      ) : (
        <NewRequestForm
          environments={environments.map((e) => ({
            id: e.id,
            name: e.name,
            isProduction: e.isProduction,
            requiredApprovals: e.requiredApprovals,
            description: e.description,
          }))}
          initial={{ environment: one(sp.environment), namespace: one(sp.namespace), action: one(sp.action), name: one(sp.name) }}
        />
      )}
    </div>
  );
}
