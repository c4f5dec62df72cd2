import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { Field, input } from '@/components/ui/field';
import { EMPTY_SETTINGS, EnvironmentFields } from '@/components/admin/environment-fields';
import { can } from '@/lib/domain/authz/permissions';
import { listKubeconfigFiles } from '@/lib/server/admin/save-environment';
import { listEnvironmentsForAdmin } from '@/lib/server/admin/read-admin';
import { requireActor } from '@/lib/web/auth';
import { createEnvironmentAction } from '@/lib/web/actions/admin-actions';

export const metadata: Metadata = { title: 'Administration' };
export const dynamic = 'force-dynamic';

export default async function AdminPage() {
  const actor = await requireActor('/admin');
  if (!can(actor, 'environment.manage') && !can(actor, 'user.manage')) {
    return (
      <p role="alert" data-testid="forbidden" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
        Only admins can open the administration.
      </p>
    );
  }
  const environments = can(actor, 'environment.manage') ? await listEnvironmentsForAdmin(actor) : [];
  const isGlobalAdmin = can(actor, 'environment.manage', 'global');
  const serverCredentials = { isAllowed: isGlobalAdmin, files: isGlobalAdmin ? listKubeconfigFiles() : [] };
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Administration</h1>
        <div className="flex gap-4">
          {can(actor, 'environment.manage') && (
            <Link href="/admin/notifications" className="text-sm font-medium text-blue-700 hover:underline">
              Notification channels →
            </Link>
          )}
          {can(actor, 'user.manage', 'global') && (
            <Link href="/admin/users" className="text-sm font-medium text-blue-700 hover:underline">
              Users and roles →
            </Link>
          )}
          {can(actor, 'user.manage', 'global') && (
            <Link href="/admin/groups" className="text-sm font-medium text-blue-700 hover:underline">
              Reviewer groups →
            </Link>
          )}
        </div>
      </div>
      <section aria-labelledby="envs">
        <h2 id="envs" className="mb-2 text-lg font-semibold">
          Environments
        </h2>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {environments.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
              <Link href={`/admin/environments/${e.id}`} className="font-medium text-blue-700 hover:underline">
                {e.name}
              </Link>
              {e.isProduction && <span className="rounded bg-red-100 px-1.5 text-xs text-red-800">production</span>}
              {e.disabledAt && <span className="rounded bg-slate-200 px-1.5 text-xs">disabled</span>}
              <span className="text-slate-600">
                {e.requiredApprovals} approval{e.requiredApprovals === 1 ? '' : 's'} · {e.pendingCount} pending ·{' '}
                {e.connectionKind.toLowerCase().replace('_', ' ')}
              </span>
              <span className="text-slate-500">{e.description}</span>
            </li>
          ))}
        </ul>
      </section>
      {can(actor, 'environment.manage', 'global') && (
        <section aria-labelledby="new-env" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="new-env" className="mb-3 text-lg font-semibold">
            New environment
          </h2>
          <ActionForm action={createEnvironmentAction} submitLabel="Create environment" testId="create-environment" successText="Created.">
            <Field id="name" label="Name" className="max-w-xs">
              {(c) => <input {...c} name="name" placeholder="eu-prod" className={input} />}
            </Field>
            <EnvironmentFields settings={EMPTY_SETTINGS} serverCredentials={serverCredentials} />
          </ActionForm>
        </section>
      )}
    </div>
  );
}
