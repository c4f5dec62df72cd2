import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveApplyNote, LiveApprovals, LiveRequest, LiveStatusBadge } from '@/components/requests/live-request';
import { RequestActions } from '@/components/requests/request-actions';
import { RequestReview } from '@/components/requests/request-review';
import { RevisedSince } from '@/components/requests/revised-since';
import { RouteTester } from '@/components/requests/route-tester';
import { RoutingDiff } from '@/components/requests/routing-diff';
import { Timeline } from '@/components/requests/timeline';
import { SchedulePanel } from '@/components/schedule/schedule-panel';
import { ActionBadge, EnvironmentBadge, SeverityBadge } from '@/components/ui/badges';
import { Card } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { previewRollback } from '@/lib/server/history/rollback';
import { clusterWaitView } from '@/lib/server/apply/cluster-wait-view';
import { ClusterWaitPanel } from '@/components/requests/cluster-wait-panel';
import { AppError } from '@/lib/server/errors';
import { requireActor } from '@/lib/web/auth';
import { orNotFound } from '@/lib/web/page-read';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Change request' };

const REASON_TONE: Record<string, string> = {
  STALE: 'border-purple-300 bg-purple-50 text-purple-950',
  FAILED: 'border-red-300 bg-red-50 text-red-950',
  REJECTED: 'border-red-300 bg-red-50 text-red-950',
  APPROVED: 'border-amber-300 bg-amber-50 text-amber-950',
  SCHEDULED: 'border-violet-300 bg-violet-50 text-violet-950',
};

export default async function RequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await requireActor(`/requests/${id}`);
  const cr = await orNotFound(getChangeRequest(actor, id));
  const current = cr.revisions.find((r) => r.number === cr.currentRevision)!;
  const clusterWait = await clusterWaitView(actor, cr.id);
  // A link from a notification names the revision it was sent for (GET only reads; nothing changes).
  const sentRevision = typeof sp.revision === 'string' && /^\d{1,6}$/.test(sp.revision) ? Number(sp.revision) : null;
  const sent = sentRevision !== null && sentRevision < cr.currentRevision ? cr.revisions.find((r) => r.number === sentRevision) : undefined;
  const analysis = current.analysis;
  const firstHost = analysis.routes.proposed[0] ?? analysis.routes.base[0];
  const suggestion = firstHost
    ? `${firstHost.isTls ? 'https' : 'http'}://${firstHost.host || 'example.com'}${firstHost.path === '/' ? '/' : firstHost.path}`
    : 'https://example.com/';
  // Exactly what a rollback would propose, computed against the live object (null if it cannot be).
  const rollbackPreview =
    cr.status === 'APPLIED' && cr.viewer.canRollback
      ? await previewRollback(actor, cr.id).then(
          (p) => ({
            from: p.liveYaml,
            to: p.resultYaml,
            error: null,
            isPreApproved: p.isPreApproved,
            preApprovalReason: p.preApprovalReason,
          }),
          (error: unknown) => ({
            from: '',
            to: '',
            error: error instanceof AppError ? error.message : 'The rollback cannot be previewed right now.',
            isPreApproved: false,
            preApprovalReason: '',
          }),
        )
      : null;
  const lastEvent = cr.timeline.at(-1)?.seq.toString() ?? null;
  const approval = cr.approval;
  // What the live stream patches in place (components/requests/live-request.tsx).
  const live = {
    id: cr.id,
    status: cr.status,
    statusReason: cr.statusReason,
    currentRevision: cr.currentRevision,
    lastEvent,
    fingerprint: `${cr.status}:${lastEvent}:${cr.currentRevision}`,
    autoApproved: cr.autoApproved,
    approval: {
      count: approval.approvals.length,
      required: approval.required,
      missing: approval.missing,
      voided: approval.voided,
      hasStandingRejection: approval.hasStandingRejection,
      approvers: approval.approvers.map((a) => ({ id: a.id, name: a.name })),
      rejecters: approval.rejecters.map((a) => ({ id: a.id, name: a.name })),
      changeRequesters: approval.changeRequesters.map((a) => ({ id: a.id, name: a.name })),
    },
  };

  return (
    <LiveRequest initial={live}>
      <article className={`space-y-5 ${cr.environment.isProduction ? 'border-t-4 border-red-700 pt-3' : ''}`} data-testid="request-page">
        <header className="space-y-2">
          <p className="text-sm">
            <Link href="/" className="text-blue-800 hover:underline">
              ← Requests
            </Link>
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="min-w-0 break-words text-2xl font-semibold">
              <span className="text-slate-500">#{cr.number}</span> {cr.title}
            </h1>
          </div>
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <LiveStatusBadge />
            <EnvironmentBadge name={cr.environment.name} isProduction={cr.environment.isProduction} />
            <ActionBadge action={cr.action} />
            <Link
              href={`/ingresses/${encodeURIComponent(cr.environment.name)}/${encodeURIComponent(cr.namespace)}/${encodeURIComponent(cr.ingressName)}`}
              className="font-mono text-blue-800 hover:underline"
            >
              {cr.namespace}/{cr.ingressName}
            </Link>
            <span aria-label="Highest risk">
              <SeverityBadge severity={cr.maxSeverity} />
            </span>
            <span>
              requested by <span className="font-medium">{cr.requester.name}</span> ({cr.requester.email}) · {formatTime(cr.createdAt)}
            </span>
            {cr.kind !== 'CHANGE' && cr.rollbackOf && (
              <span>
                {cr.kind.toLowerCase()} of{' '}
                <Link href={`/requests/${cr.rollbackOf.id}`} className="text-blue-800 hover:underline">
                  #{cr.rollbackOf.number}
                </Link>
              </span>
            )}
          </div>
          {cr.environment.isProduction && (
            <p
              className="rounded border border-red-300 bg-red-50 px-3 py-1.5 text-sm font-medium text-red-900"
              data-testid="production-banner"
            >
              Production environment: {cr.environment.requiredApprovals} approvals required; changes reach live traffic.
            </p>
          )}
          {cr.statusReason && (
            <p
              role="status"
              data-testid="status-reason"
              className={`whitespace-pre-wrap break-words rounded border px-3 py-2 text-sm ${REASON_TONE[cr.status] ?? 'border-slate-300 bg-slate-50'}`}
            >
              {cr.statusReason}
              {cr.nextAttemptAt && cr.status === 'APPROVED' ? ` — next attempt ${formatTime(cr.nextAttemptAt)}` : ''}
            </p>
          )}
          {clusterWait && <ClusterWaitPanel id={cr.id} view={clusterWait} />}
          {sent && (
            <RevisedSince sent={sent.number} current={cr.currentRevision} sentYaml={sent.proposedYaml} currentYaml={current.proposedYaml} />
          )}
          {cr.chosenReviewers.length > 0 && (
            <p className="text-sm text-slate-700" data-testid="chosen-reviewers">
              Review requested from {cr.chosenReviewers.map((u) => u.name).join(', ')}
              {cr.chosenReviewerGroups.length > 0 && (
                <span data-testid="chosen-reviewer-groups">
                  {' '}
                  (named {cr.chosenReviewerGroups.length === 1 ? 'group' : 'groups'} {cr.chosenReviewerGroups.map((g) => g.name).join(', ')}
                  )
                </span>
              )}
            </p>
          )}
          <LiveApplyNote />
          <SchedulePanel
            id={cr.id}
            status={cr.status}
            schedule={cr.schedule}
            promotedFrom={cr.promotedFrom}
            promoteTo={cr.promoteTo}
            now={new Date()}
          />
        </header>

        <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="min-w-0 space-y-5">
            <Card title="Why">
              <p className="whitespace-pre-wrap break-words text-sm">{cr.justification}</p>
            </Card>
            <RequestReview
              key={cr.currentRevision}
              requestId={cr.id}
              action={cr.action}
              current={cr.currentRevision}
              canComment={cr.viewer.canComment}
              revisions={cr.revisions.map((r) => ({
                number: r.number,
                proposedYaml: r.proposedYaml,
                baseYaml: r.baseYaml,
                findings: r.analysis?.findings ?? [],
                author: r.author.name,
                createdAt: r.createdAt.toISOString(),
              }))}
              threads={cr.threads.map((t) => ({
                id: t.id,
                revision: t.revision,
                side: t.side,
                line: t.line,
                anchorText: t.anchorText,
                isResolved: t.isResolved,
                resolvedBy: t.resolvedBy?.name ?? null,
                currentLine: t.currentLine,
                isOutdated: t.isOutdated,
                comments: t.comments.map((c) => ({ id: c.id, author: c.author.name, body: c.body, createdAt: c.createdAt.toISOString() })),
              }))}
            />
            <Card id="routing" title="Routing table">
              <RoutingDiff diff={analysis.diff} />
            </Card>
            <Card id="route-tester" title="Route tester">
              <RouteTester
                requestId={cr.id}
                subject={`${cr.namespace}/${cr.ingressName}`}
                baseYaml={current.baseYaml}
                proposedYaml={current.proposedYaml}
                suggestion={suggestion}
              />
            </Card>
          </div>

          <aside className="order-first space-y-5 xl:order-last">
            <LiveApprovals environmentName={cr.environment.name} />
            <RequestActions
              id={cr.id}
              status={cr.status}
              currentRevision={cr.currentRevision}
              viewer={cr.viewer}
              isProduction={cr.environment.isProduction}
              environmentName={cr.environment.name}
              rollbackPreview={rollbackPreview}
            />
            <Card title="Timeline" id="timeline">
              <Timeline events={cr.timeline} />
            </Card>
          </aside>
        </div>
      </article>
    </LiveRequest>
  );
}
