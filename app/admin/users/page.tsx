import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { Field, input } from '@/components/ui/field';
import { ROLES } from '@/lib/domain/authz/permissions';
import { listUsersForAdmin } from '@/lib/server/admin/read-admin';
import { requireActor } from '@/lib/web/auth';
import { orRefusal } from '@/lib/web/page-read';
import { ForbiddenNote } from '@/components/ui/forbidden-note';
import {
  createUserAction,
  endUserSessionsAction,
  grantRoleAction,
  revokeRoleAction,
  setUserActiveAction,
} from '@/lib/web/actions/admin-actions';

export const metadata: Metadata = { title: 'Users and roles' };
export const dynamic = 'force-dynamic';

function ScopeSelect({ id, environments }: { id: string; environments: { id: string; name: string }[] }) {
  return (
    <Field id={id} label="Scope">
      {(c) => (
        <select {...c} name="environmentId" className={input}>
          <option value="">all environments</option>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function RoleSelect({ id, allowNone }: { id: string; allowNone?: boolean }) {
  return (
    <Field id={id} label="Role">
      {(c) => (
        <select {...c} name="role" className={input}>
          {allowNone && <option value="">no role yet</option>}
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r.toLowerCase()}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export default async function UsersAdminPage() {
  const actor = await requireActor('/admin/users');
  const read = await orRefusal(listUsersForAdmin(actor));
  if (read.refusal !== null) return <ForbiddenNote>{read.refusal}</ForbiddenNote>;
  const data = read.data;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin" className="text-sm text-blue-700 hover:underline">
          ← Administration
        </Link>
        <h1 className="text-2xl font-semibold">Users and roles</h1>
        <p className="text-sm text-slate-600">
          Deactivating a user ends their sessions and revokes their API tokens at once; their past actions stay in the audit log. &ldquo;End
          sessions&rdquo; signs a user out of every browser at once, without deactivating them.
        </p>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 text-lg font-semibold">New local user</h2>
        <ActionForm
          action={createUserAction}
          submitLabel="Create user"
          testId="create-user"
          className="flex flex-wrap items-end gap-3"
          successText="Created. Hand the initial password over in person."
        >
          <Field id="nu-email" label="Email">
            {(c) => <input {...c} name="email" type="email" className={input} />}
          </Field>
          <Field id="nu-name" label="Name">
            {(c) => <input {...c} name="name" className={input} />}
          </Field>
          <Field id="nu-password" label="Initial password">
            {(c) => <input {...c} name="password" type="password" autoComplete="new-password" className={input} />}
          </Field>
          <RoleSelect id="nu-role" allowNone />
          <ScopeSelect id="nu-scope" environments={data.environments} />
        </ActionForm>
      </section>
      <ul className="space-y-3">
        {data.users.map((u) => (
          <li
            key={u.id}
            data-testid="user-row"
            className={`rounded-lg border bg-white p-4 ${u.isActive ? 'border-slate-200' : 'border-slate-300 opacity-75'}`}
          >
            <div className="flex flex-wrap items-center gap-3">
              <span className="font-medium">{u.name}</span>
              <span className="break-all text-sm text-slate-600">{u.email}</span>
              {!u.isActive && <span className="rounded bg-slate-200 px-1.5 text-xs">deactivated</span>}
              <span className="text-xs text-slate-500">
                {u.activeTokens} active API token{u.activeTokens === 1 ? '' : 's'}
              </span>
              <span className="text-xs text-slate-500" data-testid="open-sessions">
                {u.openSessions} open session{u.openSessions === 1 ? '' : 's'}
              </span>
              {u.id === actor.id ? (
                <span className="ml-auto text-xs text-slate-600" data-testid="own-account">
                  your account (sign out from the header)
                </span>
              ) : (
                <>
                  <ActionForm
                    action={endUserSessionsAction}
                    submitLabel="End sessions"
                    variant="secondary"
                    className="ml-auto flex items-center gap-2"
                    successText="Sessions ended."
                  >
                    <input type="hidden" name="userId" value={u.id} />
                  </ActionForm>
                  {u.isActive ? (
                    <ActionForm
                      action={setUserActiveAction}
                      submitLabel="Deactivate"
                      variant="danger"
                      confirmText={`Deactivate ${u.email}? Their sessions end and their API tokens are revoked.`}
                      confirmLabel="Yes, deactivate"
                      className="flex flex-wrap items-center gap-2"
                      successText="Deactivated."
                    >
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="isActive" value="false" />
                    </ActionForm>
                  ) : (
                    <ActionForm
                      action={setUserActiveAction}
                      submitLabel="Reactivate"
                      className="flex items-center gap-2"
                      successText="Reactivated."
                    >
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="isActive" value="true" />
                    </ActionForm>
                  )}
                </>
              )}
            </div>
            <ul className="mt-2 flex flex-wrap gap-2 text-sm">
              {u.roles.length === 0 && <li className="text-slate-500">no roles</li>}
              {u.roles.map((r) => {
                const roleText = `${r.role.toLowerCase()} ${r.environmentName ? `in ${r.environmentName}` : '(all environments)'}`;
                // Removing your own admin role locks you out of this page: another admin does that.
                const isOwnAdmin = u.id === actor.id && r.role === 'ADMIN';
                return (
                  <li key={r.id} className="flex flex-wrap items-center gap-1 rounded border border-slate-200 px-2 py-0.5">
                    <span>{roleText}</span>
                    {!isOwnAdmin && (
                      <ActionForm
                        action={revokeRoleAction}
                        submitLabel="×"
                        submitAriaLabel={`Remove role ${roleText} from ${u.email}`}
                        variant="danger"
                        isCompact
                        confirmText={`Remove ${roleText}?`}
                        confirmLabel="Remove"
                        className="inline-flex flex-wrap items-center gap-1"
                        successText="Revoked."
                      >
                        <input type="hidden" name="assignmentId" value={r.id} />
                      </ActionForm>
                    )}
                  </li>
                );
              })}
            </ul>
            <ActionForm
              action={grantRoleAction}
              submitLabel="Grant role"
              className="mt-2 flex flex-wrap items-end gap-2"
              successText="Granted."
            >
              <input type="hidden" name="userId" value={u.id} />
              <RoleSelect id={`role-${u.id}`} />
              <ScopeSelect id={`scope-${u.id}`} environments={data.environments} />
            </ActionForm>
          </li>
        ))}
      </ul>
    </div>
  );
}
