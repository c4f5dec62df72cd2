'use server';

import { revalidatePath } from 'next/cache';
import { createEnvironment } from '@/lib/server/admin/create-environment';
import { endUserSessions } from '@/lib/server/admin/end-user-sessions';
import { createLocalUser, grantRole, revokeRole, setUserActive } from '@/lib/server/admin/manage-users';
import { setEnvironmentDisabled } from '@/lib/server/admin/set-environment-disabled';
import { testEnvironmentConnection } from '@/lib/server/admin/test-environment-connection';
import { updateEnvironment } from '@/lib/server/admin/update-environment';
import type { TConnectionReport } from '@/lib/server/kube/test-connection';
import { authedAction, type TActionResult } from '@/lib/web/action';
import { environmentSavedMessage } from '@/lib/web/saved-message';
import { settingsFromForm } from './admin-form-data';

export type TFormState<T = unknown> = TActionResult<T> | null;

export async function saveEnvironmentAction(
  environmentId: string,
  _prev: TFormState,
  form: FormData,
): Promise<TFormState<{ changed: string[]; approved: number; message: string }>> {
  const result = await authedAction(async (actor) => {
    const r = await updateEnvironment(actor, environmentId, settingsFromForm(form));
    const approved = r.approvedByNewCount.length;
    const message = environmentSavedMessage(r.changed, approved);
    return { changed: r.changed, approved, message };
  });
  // Only a saved environment's page is revalidated: a hostile id in a path made revalidatePath throw (500).
  if (result.ok) revalidatePath(`/admin/environments/${environmentId}`);
  return result;
}

export async function createEnvironmentAction(_prev: TFormState, form: FormData): Promise<TFormState<{ id: string }>> {
  return authedAction(async (actor) => {
    const r = await createEnvironment(actor, { name: String(form.get('name') ?? ''), ...settingsFromForm(form) });
    revalidatePath('/admin');
    return { id: r.id };
  });
}

export async function testConnectionAction(environmentId: string, _prev: TFormState): Promise<TFormState<TConnectionReport>> {
  return authedAction((actor) => testEnvironmentConnection(actor, environmentId));
}

export async function setDisabledAction(environmentId: string, isDisabled: boolean): Promise<void> {
  const result = await authedAction((actor) => setEnvironmentDisabled(actor, environmentId, isDisabled));
  if (result.ok) revalidatePath(`/admin/environments/${environmentId}`);
}

export async function grantRoleAction(_prev: TFormState, form: FormData): Promise<TFormState<{ id: string }>> {
  const result = await authedAction((actor) =>
    grantRole(actor, String(form.get('userId') ?? ''), { role: form.get('role'), environmentId: String(form.get('environmentId') ?? '') }),
  );
  revalidatePath('/admin', 'layout');
  return result;
}

export async function revokeRoleAction(_prev: TFormState, form: FormData): Promise<TFormState<{ id: string }>> {
  const result = await authedAction((actor) => revokeRole(actor, String(form.get('assignmentId') ?? '')));
  revalidatePath('/admin', 'layout');
  return result;
}

export async function setUserActiveAction(_prev: TFormState, form: FormData): Promise<TFormState<{ isActive: boolean }>> {
  const result = await authedAction((actor) => setUserActive(actor, String(form.get('userId') ?? ''), form.get('isActive') === 'true'));
  revalidatePath('/admin/users');
  return result;
}

export async function endUserSessionsAction(_prev: TFormState, form: FormData): Promise<TFormState<{ ended: number }>> {
  const result = await authedAction((actor) => endUserSessions(actor, String(form.get('userId') ?? '')));
  revalidatePath('/admin/users');
  return result;
}

export async function createUserAction(_prev: TFormState, form: FormData): Promise<TFormState<{ id: string }>> {
  const role = String(form.get('role') ?? '');
  const result = await authedAction((actor) =>
    createLocalUser(actor, {
      email: form.get('email'),
      name: form.get('name'),
      password: form.get('password'),
      roles: role ? [{ role, environmentId: String(form.get('environmentId') ?? '') }] : [],
    }),
  );
  revalidatePath('/admin/users');
  return result;
}
