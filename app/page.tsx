import Link from 'next/link';
import { can } from '@/lib/domain/authz/permissions';
import { requireActor } from '@/lib/web/auth';

export const dynamic = 'force-dynamic';

const CAPABILITIES = [
  { permission: 'change-request.submit', text: 'Propose Ingress changes (create, update, delete) and follow them to the cluster.', href: '/requests/new', cta: 'New request' },
  { permission: 'change-request.review', text: 'Review changes: side-by-side diff, risk flags, approve or reject.', href: '/', cta: 'Needs my review' },
  { permission: 'audit.view', text: 'Read, export and verify the tamper-evident audit history.', href: '/audit', cta: 'Audit history' },
  { permission: 'environment.manage', text: 'Configure environments, approvals, policy and users.', href: '/admin', cta: 'Administration' },
] as const;

export default async function HomePage() {
  const actor = await requireActor('/');
  const mine = CAPABILITIES.filter((c) => can(actor, c.permission));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Welcome, {actor.name}</h1>
      {mine.length === 0 ? (
        <p data-testid="no-roles" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          Your account has no roles yet. An admin must grant you a role (requester, approver, auditor or admin) before you can do anything here.
        </p>
      ) : (
        <ul data-testid="capabilities" className="grid gap-3 sm:grid-cols-2">
          {mine.map((c) => (
            <li key={c.permission} className="rounded-lg border border-slate-200 bg-white p-4">
              <p className="text-sm text-slate-700">{c.text}</p>
              <Link href={c.href} className="mt-2 inline-block text-sm font-medium text-blue-700 hover:underline">
                {c.cta} →
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
