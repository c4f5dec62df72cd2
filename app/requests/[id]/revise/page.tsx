import type { Metadata } from 'next';
import Link from 'next/link';
import { ReviseForm } from '@/components/requests/revise-form';
import { EmptyState } from '@/components/ui/card';
import { EnvironmentBadge } from '@/components/ui/badges';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { requireActor } from '@/lib/web/auth';
import { orNotFound } from '@/lib/web/page-read';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Revise request' };

export default async function RevisePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/requests/${id}/revise`);
  const cr = await orNotFound(getChangeRequest(actor, id));
  const current = cr.revisions.find((r) => r.number === cr.currentRevision)!;
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href={`/requests/${cr.id}`} className="text-blue-800 hover:underline">
          ← #{cr.number} {cr.title}
        </Link>
      </p>
      <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
        Revise #{cr.number} <EnvironmentBadge name={cr.environment.name} isProduction={cr.environment.isProduction} />
        <span className="font-mono text-base text-slate-600">
          {cr.namespace}/{cr.ingressName}
        </span>
      </h1>
      {!cr.viewer.canRevise ? (
        <EmptyState testId="cannot-revise">Only the requester can revise a pending or rejected create/update request.</EmptyState>
      ) : (
        <ReviseForm
          id={cr.id}
          environment={cr.environment.name}
          namespace={cr.namespace}
          name={cr.ingressName}
          action={cr.action === 'CREATE' ? 'create' : 'update'}
          initialYaml={current.proposedYaml}
        />
      )}
    </div>
  );
}
