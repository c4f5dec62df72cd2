import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { NOTIFICATION_KIND_INFO } from '@/lib/domain/notifications/notification-kinds';
import type { TEmailDeliveryView } from '@/lib/server/notifications/email-delivery-log';
import { redeliverAction } from '@/lib/web/actions/notification-actions';

const kindLabel = (k: string) => NOTIFICATION_KIND_INFO[k as keyof typeof NOTIFICATION_KIND_INFO]?.label ?? k;

/** Emails sent (or being retried) for the admin's environments: one row per (event, recipient), with every attempt and "Redeliver". */
export function EmailDeliveryLog({
  deliveries,
  isSmtpConfigured,
  environmentNames,
}: {
  deliveries: TEmailDeliveryView[];
  isSmtpConfigured: boolean;
  environmentNames: Record<string, string>;
}) {
  return (
    <Card title="Email deliveries" testId="email-delivery-log">
      {!isSmtpConfigured && (
        <p className="mb-2 text-sm text-amber-800" data-testid="smtp-off">
          Email is off: SMTP_HOST is not set, so no email deliveries are created (see the README&apos;s configuration).
        </p>
      )}
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-600">No emails yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="text-slate-500">
                <th className="pr-2">To</th>
                <th className="pr-2">Event</th>
                <th className="pr-2">Request</th>
                <th className="pr-2">Status</th>
                <th className="pr-2">Attempts</th>
                <th className="pr-2">Last error</th>
                <th className="pr-2">When</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="email-delivery" className="border-t border-slate-100 align-top">
                  <td className="break-all pr-2" data-testid="email-delivery-to">
                    {d.to}
                  </td>
                  <td className="pr-2">{kindLabel(d.kind)}</td>
                  <td className="pr-2">
                    {d.changeRequestId ? (
                      <Link className="text-blue-800 hover:underline" href={`/requests/${d.changeRequestId}`}>
                        #{d.changeRequestNumber ?? '?'}
                      </Link>
                    ) : (
                      '—'
                    )}
                    {d.environmentId && environmentNames[d.environmentId] ? (
                      <span className="ml-1 text-slate-500">{environmentNames[d.environmentId]}</span>
                    ) : null}
                  </td>
                  <td className="pr-2" data-testid="email-delivery-status">
                    {d.status}
                    {d.status === 'PENDING' && d.nextAttemptAt ? (
                      <span className="block text-slate-500">next try {formatTime(d.nextAttemptAt)}</span>
                    ) : null}
                  </td>
                  <td
                    className="pr-2"
                    data-testid="email-delivery-attempts"
                    title={d.attemptLog.map((a) => `#${a.number} ${a.isOk ? 'ok' : `failed: ${a.error ?? ''}`}`).join('\n')}
                  >
                    {d.attemptLog.length}
                    {d.attemptLog.length > 0 && (
                      <span className="ml-1 text-slate-500">({d.attemptLog.map((a) => (a.isOk ? 'ok' : 'error')).join(', ')})</span>
                    )}
                  </td>
                  <td className="max-w-xs break-words pr-2" data-testid="email-delivery-error">
                    {d.lastError ?? ''}
                  </td>
                  <td className="pr-2">{formatTime(d.sentAt ?? d.createdAt)}</td>
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
        </div>
      )}
    </Card>
  );
}
