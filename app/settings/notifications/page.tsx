import type { Metadata } from 'next';
import { ErrorNote } from '@/components/ui/error-note';
import { btnPrimary } from '@/components/ui/buttons';
import { getNotificationPreferences } from '@/lib/server/notifications/notification-preferences';
import { savePreferencesAction } from '@/lib/web/actions/notification-actions';
import { requireActor } from '@/lib/web/auth';

export const metadata: Metadata = { title: 'Notifications' };
export const dynamic = 'force-dynamic';

export default async function NotificationSettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor('/settings/notifications');
  const sp = await searchParams;
  const prefs = await getNotificationPreferences(actor);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Email notifications</h1>
      <p className="max-w-2xl text-sm text-slate-600">
        Choose which events email you at <strong>{actor.email}</strong>. You are only ever emailed about requests you take part in (or, for
        drift, environments you administer); you are never emailed about your own actions.
      </p>
      {typeof sp.error === 'string' && <ErrorNote>{sp.error}</ErrorNote>}
      <form action={savePreferencesAction} className="space-y-2" data-testid="notification-preferences">
        <ul className="space-y-1">
          {prefs.map((p) => (
            <li key={p.kind}>
              <label className="inline-flex items-center gap-2 text-sm">
                <input type="checkbox" name={`email:${p.kind}`} defaultChecked={p.isEmailOn} />
                {p.label}
              </label>
            </li>
          ))}
        </ul>
        <button type="submit" className={btnPrimary}>
          Save
        </button>
      </form>
    </div>
  );
}
