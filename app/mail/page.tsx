import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { EmptyState } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { isLocalMailEnabled, listCapturedMail } from '@/lib/server/notifications/list-captured-mail';
import { requireActor } from '@/lib/web/auth';

export const metadata: Metadata = { title: 'Sent mail' };
export const dynamic = 'force-dynamic';

/**
 * Mail the local catch-all SMTP server of `npm start` received (embedded mode only). Shown as
 * text — the HTML bodies are never rendered here, so nothing in them can run.
 */
export default async function MailPage() {
  const actor = await requireActor('/mail');
  if (!isLocalMailEnabled()) notFound();
  const mails = await listCapturedMail(actor);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Sent mail (local catcher)</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        No SMTP server is configured, so <code>npm start</code> catches outgoing mail locally. You see the mail sent to {actor.email}
        {''}; set <code>SMTP_HOST</code> to deliver for real.
      </p>
      {mails.length === 0 ? (
        <EmptyState testId="mail-empty">No mail yet.</EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="mail-list">
          {mails.map((m) => (
            <li key={m.id} data-testid="mail" className="rounded border border-slate-200 bg-white p-3">
              <details>
                <summary className="cursor-pointer">
                  <span className="font-medium" data-testid="mail-subject">
                    {m.subject}
                  </span>{' '}
                  <span className="text-xs text-slate-500">
                    to {m.recipients} · {formatTime(m.receivedAt)}
                  </span>
                </summary>
                <pre className="mt-2 whitespace-pre-wrap break-words text-sm" data-testid="mail-text">
                  {linkify(m.text)}
                </pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Turns this app's own links in a text body into anchors; everything else stays text. */
function linkify(text: string) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return parts.map((p, i) =>
    /^https?:\/\//.test(p) ? (
      <a key={i} href={p} className="text-blue-800 underline" data-testid="mail-link">
        {p}
      </a>
    ) : (
      p
    ),
  );
}
