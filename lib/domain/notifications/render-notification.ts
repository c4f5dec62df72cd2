import { NOTIFICATION_KIND_INFO, type TNotificationKind } from './notification-kinds';

/** What every channel says about one event: built once from the stored request and revision. */
export type TNotificationSummary = {
  kind: TNotificationKind;
  eventId: string;
  occurredAt: string;
  actor: string;
  environment: string;
  /** Null for drift events about an Ingress no request names. */
  request: { id: string; number: number; title: string; status: string; revision: number; requester: string } | null;
  target: { namespace: string; name: string; action: string | null };
  risk: { maxSeverity: string; findingCount: number; top: { severity: string; title: string }[] };
  /** host + path → backend, before and after (only rows that differ). */
  changedRoutes: { host: string; path: string; before: string | null; after: string | null }[];
  comment: string | null;
  reason: string | null;
  link: string;
};

export const WEBHOOK_SCHEMA_VERSION = 'ingress-gate.notification/v1';

const headline = (s: TNotificationSummary) => {
  const verb = NOTIFICATION_KIND_INFO[s.kind].verb;
  return s.request
    ? `#${s.request.number} ${s.request.title} ${verb}`
    : `Ingress ${s.target.namespace}/${s.target.name} in ${s.environment} ${verb}`;
};

export function emailSubject(s: TNotificationSummary): string {
  // Subject lines are headers: no line breaks from user text.
  return `[Ingress Gate · ${s.environment}] ${headline(s)}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
}

const routeLine = (r: TNotificationSummary['changedRoutes'][number]) =>
  `${r.host || '*'}${r.path}: ${r.before ?? '(none)'} → ${r.after ?? '(removed)'}`;

/** The plain-text body. */
export function emailText(s: TNotificationSummary): string {
  const lines = [
    headline(s),
    '',
    `Environment: ${s.environment}`,
    `Ingress: ${s.target.namespace}/${s.target.name}${s.target.action ? ` (${s.target.action.toLowerCase()})` : ''}`,
  ];
  if (s.request) lines.push(`Requested by: ${s.request.requester}`, `Revision: ${s.request.revision}`, `Status: ${s.request.status}`);
  lines.push(`By: ${s.actor}`);
  lines.push(
    `Risk: ${s.risk.maxSeverity} (${s.risk.findingCount} finding${s.risk.findingCount === 1 ? '' : 's'})`,
    ...s.risk.top.map((f) => `  - [${f.severity}] ${f.title}`),
  );
  if (s.changedRoutes.length) lines.push('Changed hosts and paths:', ...s.changedRoutes.map((r) => `  - ${routeLine(r)}`));
  if (s.comment) lines.push('', `Comment: ${s.comment}`);
  if (s.reason) lines.push('', `Reason: ${s.reason}`);
  lines.push('', `Open it: ${s.link}`, '', 'Approving needs you to sign in and click Approve on the page; this link changes nothing.');
  return lines.join('\n');
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The HTML body; every piece of user or cluster text is escaped. */
export function emailHtml(s: TNotificationSummary): string {
  const e = escapeHtml;
  const row = (k: string, v: string) => `<tr><th align="left" style="padding:2px 12px 2px 0">${e(k)}</th><td>${e(v)}</td></tr>`;
  const rows = [
    row('Environment', s.environment),
    row('Ingress', `${s.target.namespace}/${s.target.name}${s.target.action ? ` (${s.target.action.toLowerCase()})` : ''}`),
    ...(s.request
      ? [row('Requested by', s.request.requester), row('Revision', String(s.request.revision)), row('Status', s.request.status)]
      : []),
    row('By', s.actor),
    row('Risk', `${s.risk.maxSeverity} (${s.risk.findingCount} finding${s.risk.findingCount === 1 ? '' : 's'})`),
  ].join('');
  const findings = s.risk.top.length ? `<ul>${s.risk.top.map((f) => `<li>[${e(f.severity)}] ${e(f.title)}</li>`).join('')}</ul>` : '';
  const routes = s.changedRoutes.length
    ? `<p><strong>Changed hosts and paths</strong></p><ul>${s.changedRoutes.map((r) => `<li><code>${e(routeLine(r))}</code></li>`).join('')}</ul>`
    : '';
  const comment = s.comment ? `<p><strong>Comment:</strong> ${e(s.comment)}</p>` : '';
  const reason = s.reason ? `<p><strong>Reason:</strong> ${e(s.reason)}</p>` : '';
  return `<!doctype html><html><body style="font-family:sans-serif">
<h2>${e(headline(s))}</h2>
<table>${rows}</table>
${findings}${routes}${comment}${reason}
<p><a href="${e(s.link)}">Open the request</a></p>
<p style="color:#555">Approving needs you to sign in and click Approve on the page; this link changes nothing.</p>
</body></html>`;
}

/** Slack incoming-webhook message (Block Kit). Slack mrkdwn treats & < > specially: escape them. */
export function slackMessage(s: TNotificationSummary): Record<string, unknown> {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const fields = [
    `*Environment*\n${esc(s.environment)}`,
    `*Ingress*\n${esc(`${s.target.namespace}/${s.target.name}`)}`,
    `*Risk*\n${esc(`${s.risk.maxSeverity} (${s.risk.findingCount})`)}`,
    `*By*\n${esc(s.actor)}`,
  ];
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(s).slice(0, 150) } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (s.changedRoutes.length)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: s.changedRoutes
          .slice(0, 10)
          .map((r) => `• \`${esc(routeLine(r))}\``)
          .join('\n'),
      },
    });
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: s.request ? 'Open the request' : 'Open drift' }, url: s.link }],
  });
  return { text: headline(s), blocks };
}

/** The generic webhook body (schema `ingress-gate.notification/v1`, documented in README). */
export function webhookPayload(s: TNotificationSummary): Record<string, unknown> {
  return {
    schema: WEBHOOK_SCHEMA_VERSION,
    id: s.eventId,
    kind: s.kind,
    occurredAt: s.occurredAt,
    actor: s.actor,
    environment: s.environment,
    request: s.request,
    target: s.target,
    risk: s.risk,
    changedRoutes: s.changedRoutes,
    comment: s.comment,
    reason: s.reason,
    link: s.link,
  };
}
