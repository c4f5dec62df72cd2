import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { Field, input } from '@/components/ui/field';
import { EnvironmentFields } from '@/components/admin/environment-fields';
import { TestConnectionButton } from '@/components/admin/test-connection-button';
import { ScheduleEditor } from '@/components/schedule/schedule-editor';
import { can } from '@/lib/domain/authz/permissions';
import { listKubeconfigFiles } from '@/lib/server/admin/save-environment';
import { getEnvironmentForAdmin } from '@/lib/server/admin/read-admin';
import { getEnvironmentSchedule } from '@/lib/server/schedule/get-environment-schedule';
import { requireActor } from '@/lib/web/auth';
import { orRefusal } from '@/lib/web/page-read';
import { ForbiddenNote } from '@/components/ui/forbidden-note';
import {
  grantRoleAction,
  revokeRoleAction,
  saveEnvironmentAction,
  setDisabledAction,
  testConnectionAction,
} from '@/lib/web/actions/admin-actions';

export const metadata: Metadata = { title: 'Environment settings' };
export const dynamic = 'force-dynamic';

export default async function EnvironmentAdminPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/admin/environments/${id}`);
  const read = await orRefusal(getEnvironmentForAdmin(actor, id));
  if (read.refusal !== null) return <ForbiddenNote>{read.refusal}</ForbiddenNote>;
  const env = read.data;
  const schedule = await getEnvironmentSchedule(actor, env.id);
  const canManageUsers = can(actor, 'user.manage', 'global');
  const isGlobalAdmin = can(actor, 'environment.manage', 'global');
  const serverCredentials = { isAllowed: isGlobalAdmin, files: isGlobalAdmin ? listKubeconfigFiles() : [] };
  const tooFew = env.approvers.length < env.settings.requiredApprovals;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin" className="text-sm text-blue-700 hover:underline">
          ← Administration
        </Link>
        <h1 className="text-2xl font-semibold">
          {env.name} {env.disabledAt && <span className="rounded bg-slate-200 px-1.5 text-sm font-normal">disabled</span>}
        </h1>
        <p className="text-sm text-slate-600">
          {env.pendingCount} pending request{env.pendingCount === 1 ? '' : 's'}. Lowering the required approvals approves pending requests
          that already have enough; raising it makes them wait for more.
        </p>
      </div>
      {tooFew && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {env.settings.requiredApprovals} approvals are required but only {env.approvers.length} eligible approver
          {env.approvers.length === 1 ? '' : 's'} exist: requests here cannot be approved until approvers are added.
        </p>
      )}
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <ActionForm action={saveEnvironmentAction.bind(null, env.id)} submitLabel="Save settings" testId="environment-settings" keepValues>
          <EnvironmentFields settings={env.settings} serverCredentials={serverCredentials} />
        </ActionForm>
        <div className="mt-4 border-t border-slate-200 pt-4">
          <p className="mb-2 text-sm text-slate-600">Tests the saved connection.</p>
          <TestConnectionButton action={testConnectionAction.bind(null, env.id)} />
        </div>
      </section>
      <section aria-labelledby="schedule" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="schedule" className="mb-2 text-lg font-semibold">
          Change windows and promotion
        </h2>
        <ScheduleEditor environmentId={env.id} initial={schedule} />
      </section>
      <section aria-labelledby="approvers" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="approvers" className="mb-2 text-lg font-semibold">
          Eligible approvers ({env.approvers.length})
        </h2>
        <ul data-testid="approvers" className="mb-3 space-y-1 text-sm">
          {env.approvers.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center gap-2">
              <span className="break-all">
                {a.name} ({a.email})
              </span>
              <span className="text-xs text-slate-500">{a.isGlobal ? 'approver in every environment' : `approver in ${env.name}`}</span>
              {canManageUsers && a.scopedAssignmentId && (
                <ActionForm
                  action={revokeRoleAction}
                  submitLabel="Remove"
                  submitAriaLabel={`Remove ${a.email} as approver in ${env.name}`}
                  variant="danger"
                  isCompact
                  confirmText={`Remove ${a.email} as approver in ${env.name}?`}
                  confirmLabel="Yes, remove"
                  className="inline-flex flex-wrap items-center gap-2"
                  successText="Removed."
                >
                  <input type="hidden" name="assignmentId" value={a.scopedAssignmentId} />
                </ActionForm>
              )}
            </li>
          ))}
        </ul>
        {canManageUsers && env.candidates.length > 0 && (
          <ActionForm
            action={grantRoleAction}
            submitLabel={`Make approver in ${env.name}`}
            testId="add-approver"
            className="flex flex-wrap items-end gap-2"
            successText="Added."
          >
            <input type="hidden" name="role" value="APPROVER" />
            <input type="hidden" name="environmentId" value={env.id} />
            <Field id="approver-user" label="User" className="min-w-0 max-w-full">
              {(c) => (
                <select {...c} name="userId" className={input}>
                  {env.candidates.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.email}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </ActionForm>
        )}
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <form action={setDisabledAction.bind(null, env.id, !env.disabledAt)}>
          <button
            type="submit"
            className={
              env.disabledAt
                ? 'rounded border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100'
                : 'rounded border border-red-800 bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800'
            }
          >
            {env.disabledAt ? 'Enable environment' : 'Disable environment (no new requests)'}
          </button>
        </form>
      </section>
    </div>
  );
}
