import type { Metadata } from 'next';
import { Card } from '@/components/ui/card';
import { ErrorNote } from '@/components/ui/error-note';
import { btnSecondary } from '@/components/ui/buttons';
import { Field, input, label } from '@/components/ui/field';
import { ActionForm } from '@/components/admin/action-form';
import { formatTime } from '@/components/ui/format';
import { can } from '@/lib/domain/authz/permissions';
import { NOTIFICATION_KIND_INFO, NOTIFICATION_KINDS } from '@/lib/domain/notifications/notification-kinds';
import { EmailDeliveryLog } from '@/components/notifications/email-delivery-log';
import { listEmailDeliveries } from '@/lib/server/notifications/email-delivery-log';
import { listNotificationChannels } from '@/lib/server/notifications/manage-channels';
import { listVisibleEnvironments } from '@/lib/server/queries/list-environments';
import { createChannelAction, deleteChannelAction, redeliverAction } from '@/lib/web/actions/notification-actions';
import { requireActor } from '@/lib/web/auth';

export const metadata: Metadata = { title: 'Notification channels' };
export const dynamic = 'force-dynamic';

/** Slack and webhook channels per environment, the events each receives, and their delivery log. */
export default async function NotificationChannelsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor('/admin/notifications');
  const sp = await searchParams;
  const environments = (await listVisibleEnvironments(actor)).filter((e) => can(actor, 'environment.manage', { environmentId: e.id }));
  if (!environments.length) return <ErrorNote>Only admins can configure notification channels.</ErrorNote>;
  const channels = await Promise.all(environments.map(async (e) => ({ env: e, channels: await listNotificationChannels(actor, e.id) })));
  const email = await listEmailDeliveries(actor);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Notification channels</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Slack incoming webhooks and generic webhooks per environment. URLs and secrets are stored encrypted and never shown again. Webhook
        bodies follow the <code>ingress-gate.notification/v1</code> schema and are signed (<code>X-Ingress-Gate-Signature</code>, see the
        README). Below them, the email delivery log.
      </p>
      {typeof sp.error === 'string' && <ErrorNote testId="channel-error">{sp.error}</ErrorNote>}
      {channels.map(({ env, channels: list }) => (
        <Card key={env.id} title={env.name} testId={`channels-${env.name}`}>
          {list.length === 0 && <p className="text-sm text-slate-600">No channels yet.</p>}
          <ul className="space-y-4">
            {list.map((c) => (
              <li key={c.id} data-testid="channel" className="space-y-2 rounded border border-slate-200 p-3">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="rounded bg-slate-100 px-1.5 text-xs font-semibold">{c.kind}</span>
                  <span className="font-medium">{c.name}</span>
                  <span className="text-slate-500">URL {c.hasSecret ? 'and signing secret ' : ''}stored encrypted</span>
                  <span className="text-xs text-slate-600">
                    events: {c.events.map((k) => NOTIFICATION_KIND_INFO[k as keyof typeof NOTIFICATION_KIND_INFO]?.label ?? k).join(', ')}
                  </span>
                  <form action={deleteChannelAction} className="ml-auto">
                    <input type="hidden" name="channelId" value={c.id} />
                    <button type="submit" className={btnSecondary}>
                      Remove
                    </button>
                  </form>
                </div>
                <table className="w-full text-left text-xs" data-testid="delivery-log">
                  <thead>
                    <tr className="text-slate-500">
                      <th>Event</th>
                      <th>Status</th>
                      <th>Attempts</th>
                      <th>Last error</th>
                      <th>When</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {c.deliveries.map((d) => (
                      <tr key={d.id} data-testid="delivery" className="border-t border-slate-100 align-top">
                        <td>{d.kind}</td>
                        <td data-testid="delivery-status">{d.status}</td>
                        <td
                          data-testid="delivery-attempts"
                          title={d.attemptLog.map((a) => `#${a.number} ${a.isOk ? 'ok' : 'failed'} ${a.httpStatus ?? ''}`).join('\n')}
                        >
                          {d.attemptLog.length}
                          {d.attemptLog.length > 0 && (
                            <span className="ml-1 text-slate-500">
                              ({d.attemptLog.map((a) => (a.httpStatus ? String(a.httpStatus) : a.isOk ? 'ok' : 'error')).join(', ')})
                            </span>
                          )}
                        </td>
                        <td className="max-w-xs break-words">{d.lastError ?? ''}</td>
                        <td>{formatTime(d.sentAt ?? d.createdAt)}</td>
                        <td>
                          {d.status !== 'PENDING' && (
                            <form action={redeliverAction}>
                              <input type="hidden" name="deliveryId" value={d.id} />
                              <button type="submit" className="text-blue-800 hover:underline">
                                Redeliver
                              </button>
                            </form>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </li>
            ))}
          </ul>
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-blue-800">Add a channel to {env.name}</summary>
            <ActionForm
              action={createChannelAction}
              submitLabel="Add channel"
              className="mt-2 grid max-w-2xl gap-2"
              successText="Channel added."
              errorTestId="channel-error"
            >
              <input type="hidden" name="environmentId" value={env.id} />
              <Field id={`channel-${env.id}-kind`} label="Kind">
                {(c) => (
                  <select {...c} name="kind" className={input} defaultValue="WEBHOOK">
                    <option value="WEBHOOK">Webhook (signed JSON)</option>
                    <option value="SLACK">Slack incoming webhook</option>
                  </select>
                )}
              </Field>
              <Field id={`channel-${env.id}-name`} label="Name">
                {(c) => <input {...c} name="name" className={input} required maxLength={100} />}
              </Field>
              <Field id={`channel-${env.id}-url`} label="URL">
                {(c) => <input {...c} name="url" type="url" className={input} required autoComplete="off" />}
              </Field>
              <Field id={`channel-${env.id}-secret`} label="Signing secret (webhooks; 16+ characters)">
                {(c) => <input {...c} name="secret" type="password" className={input} autoComplete="new-password" />}
              </Field>
              <fieldset>
                <legend className={label}>Events</legend>
                <div className="flex flex-wrap gap-x-4 gap-y-1">
                  {NOTIFICATION_KINDS.map((k) => (
                    <label key={k} className="inline-flex items-center gap-1.5 text-sm">
                      <input type="checkbox" name="events" value={k} defaultChecked />
                      {NOTIFICATION_KIND_INFO[k].label}
                    </label>
                  ))}
                </div>
              </fieldset>
            </ActionForm>
          </details>
        </Card>
      ))}
      <EmailDeliveryLog
        deliveries={email.deliveries}
        isSmtpConfigured={email.isSmtpConfigured}
        environmentNames={Object.fromEntries(environments.map((e) => [e.id, e.name]))}
      />
    </div>
  );
}
