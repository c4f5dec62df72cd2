'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { NOTIFICATION_KINDS } from '@/lib/domain/notifications/notification-kinds';
import { createNotificationChannel, deleteNotificationChannel, redeliverNotification } from '@/lib/server/notifications/manage-channels';
import { setNotificationPreferences } from '@/lib/server/notifications/notification-preferences';
import { authedAction, type TActionResult } from '../action';

// Plain <form action> handlers (they work without client JS): success revalidates the page, a
// refusal comes back as ?error=… which the page shows. Forms with typed input use ActionForm
// (a refusal is a value, the input stays).

const back = (path: string, error: string | null) => redirect(error ? `${path}?error=${encodeURIComponent(error)}` : path);

export async function savePreferencesAction(form: FormData) {
  const input = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, form.get(`email:${k}`) === 'on']));
  const result = await authedAction((actor) => setNotificationPreferences(actor, input));
  revalidatePath('/settings/notifications');
  back('/settings/notifications', result.ok ? null : result.message);
}

/** The "Add a channel" form (an ActionForm): a refusal comes back as a value, so the form keeps what was typed. */
export async function createChannelAction(_prev: TActionResult<unknown> | null, form: FormData): Promise<TActionResult<{ id: string }>> {
  const input = {
    environmentId: String(form.get('environmentId') ?? ''),
    kind: String(form.get('kind') ?? ''),
    name: String(form.get('name') ?? ''),
    url: String(form.get('url') ?? ''),
    secret: String(form.get('secret') ?? '') || undefined,
    events: form.getAll('events').map(String),
  };
  const result = await authedAction(async (actor) => ({ id: (await createNotificationChannel(actor, input)).id }));
  if (result.ok) revalidatePath('/admin/notifications');
  return result;
}

export async function deleteChannelAction(form: FormData) {
  const result = await authedAction((actor) => deleteNotificationChannel(actor, String(form.get('channelId') ?? '')));
  revalidatePath('/admin/notifications');
  back('/admin/notifications', result.ok ? null : result.message);
}

export async function redeliverAction(form: FormData) {
  const result = await authedAction((actor) => redeliverNotification(actor, String(form.get('deliveryId') ?? '')));
  revalidatePath('/admin/notifications');
  back('/admin/notifications', result.ok ? null : result.message);
}
