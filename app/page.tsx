import Link from 'next/link';
import { Suspense } from 'react';
import { LiveRefresh } from '@/components/requests/auto-refresh';
import { RequestList, RequestListSkeleton } from '@/components/requests/request-list';
import { ErrorNote } from '@/components/ui/error-note';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { AppError } from '@/lib/server/errors';
import { listVisibleEnvironments } from '@/lib/server/queries/list-environments';
import { requireActor } from '@/lib/web/auth';

export const dynamic = 'force-dynamic';

const CAPABILITIES = [
  { permission: 'change-request.submit', href: '/requests/new', cta: 'New request' },
  { permission: 'change-request.review', href: '/?view=needs-review', cta: 'Needs my review' },
  { permission: 'audit.view', href: '/audit', cta: 'Audit history' },
  { permission: 'environment.manage', href: '/admin', cta: 'Administration' },
] as const;

const STATUSES = ['PENDING', 'APPROVED', 'SCHEDULED', 'APPLYING', 'APPLIED', 'REJECTED', 'CANCELLED', 'STALE', 'FAILED', 'EXPIRED'];
const RISKS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
type TView = 'needs-review' | 'mine' | 'all';
type TSearch = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

function views(actor: TActor): { view: TView; label: string }[] {
  const out: { view: TView; label: string }[] = [];
  if (can(actor, 'change-request.review')) out.push({ view: 'needs-review', label: 'Needs my review' });
  if (can(actor, 'change-request.submit')) out.push({ view: 'mine', label: 'My requests' });
  out.push({ view: 'all', label: 'All requests' });
  return out;
}

export default async function InboxPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const actor = await requireActor('/');
  const sp = await searchParams;
  const mine = CAPABILITIES.filter((c) => can(actor, c.permission));
  if (mine.length === 0 && !can(actor, 'change-request.view')) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">Welcome, {actor.name}</h1>
        <p data-testid="no-roles" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          Your account has no roles yet. An admin must grant you a role (requester, approver, auditor or admin) before you can do anything
          here.
        </p>
      </div>
    );
  }
  const tabs = views(actor);
  const requested = one(sp.view) as TView;
  const view = tabs.some((t) => t.view === requested) ? requested : tabs[0]!.view;
  const filters = {
    environment: one(sp.environment),
    namespace: one(sp.namespace),
    status: one(sp.status),
    risk: one(sp.risk),
    requester: one(sp.requester),
    q: one(sp.q),
  };
  const environments = await listVisibleEnvironments(actor);
  const hasFilters = Object.values(filters).some(Boolean);
  const hrefFor = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ view, ...filters, ...extra })) if (v) p.set(k, v);
    return `/?${p.toString()}`;
  };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Change requests</h1>
          <p className="text-sm text-slate-600">Signed in as {actor.name}.</p>
          <LiveRefresh stream="/api/live?scope=inbox" />
        </div>
        <nav aria-label="Quick actions" data-testid="capabilities" className="flex flex-wrap gap-2">
          {mine.map((c) => (
            <Link key={c.permission} href={c.href} className={c.permission === 'change-request.submit' ? btnPrimary : btnSecondary}>
              {c.cta}
            </Link>
          ))}
        </nav>
      </div>

      <nav aria-label="Inbox views" className="flex flex-wrap gap-1 border-b border-slate-200">
        {tabs.map((t) => (
          <Link
            key={t.view}
            href={`/?view=${t.view}`}
            aria-current={t.view === view ? 'page' : undefined}
            className={`-mb-px rounded-t border px-3 py-2 text-sm font-medium ${t.view === view ? 'border-slate-200 border-b-white bg-white text-slate-900' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          >
            {t.label}
          </Link>
        ))}
      </nav>

      <form
        method="get"
        action="/"
        role="search"
        aria-label="Filter requests"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-7"
      >
        <input type="hidden" name="view" value={view} />
        <div className="lg:col-span-2">
          <label htmlFor="f-q" className={label}>
            Search
          </label>
          <input id="f-q" name="q" defaultValue={filters.q} placeholder="Title, Ingress name or #number" className={input} />
        </div>
        <div>
          <label htmlFor="f-env" className={label}>
            Environment
          </label>
          <select id="f-env" name="environment" defaultValue={filters.environment} className={input}>
            <option value="">Any</option>
            {environments.map((e) => (
              <option key={e.id} value={e.name}>
                {e.name}
                {e.isProduction ? ' (production)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-ns" className={label}>
            Namespace
          </label>
          <input id="f-ns" name="namespace" defaultValue={filters.namespace} className={input} />
        </div>
        <div>
          <label htmlFor="f-status" className={label}>
            Status
          </label>
          <select id="f-status" name="status" defaultValue={filters.status} className={input}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-risk" className={label}>
            Risk at least
          </label>
          <select id="f-risk" name="risk" defaultValue={filters.risk} className={input}>
            <option value="">Any</option>
            {RISKS.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-req" className={label}>
            Requester
          </label>
          <input id="f-req" name="requester" defaultValue={filters.requester} placeholder="email contains" className={input} />
        </div>
        <div className="flex items-end gap-2 sm:col-span-3 lg:col-span-7">
          <button type="submit" className={btnPrimary}>
            Filter
          </button>
          {hasFilters && (
            <Link href={`/?view=${view}`} className={btnSecondary}>
              Clear filters
            </Link>
          )}
        </div>
      </form>

      <Suspense key={JSON.stringify({ view, ...filters, c: one(sp.cursor), b: one(sp.before) })} fallback={<RequestListSkeleton />}>
        <InboxResults
          actor={actor}
          view={view}
          filters={filters}
          cursor={one(sp.cursor)}
          before={one(sp.before)}
          hrefFor={hrefFor}
          hasFilters={hasFilters}
        />
      </Suspense>
    </div>
  );
}

async function InboxResults({
  actor,
  view,
  filters,
  cursor,
  before,
  hrefFor,
  hasFilters,
}: {
  actor: TActor;
  view: TView;
  filters: Record<string, string>;
  cursor: string;
  before: string;
  hrefFor: (extra: Record<string, string>) => string;
  hasFilters: boolean;
}) {
  let result;
  try {
    const input = Object.fromEntries(Object.entries({ view, ...filters, cursor, before }).filter(([, v]) => v));
    result = await listChangeRequests(actor, input);
  } catch (error) {
    if (error instanceof AppError)
      return (
        <ErrorNote>
          {error.message} {error.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ')}
        </ErrorNote>
      );
    throw error;
  }
  const empty = hasFilters
    ? 'No requests match these filters.'
    : view === 'needs-review'
      ? 'Nothing needs your review right now.'
      : view === 'mine'
        ? 'You have not proposed any changes yet.'
        : 'No change requests yet.';
  return (
    <div className="space-y-3">
      <RequestList items={result.items} empty={empty} />
      <div className="flex items-center justify-between text-sm">
        <span className="flex gap-4">
          {(cursor || before) && (
            <Link href={hrefFor({ cursor: '', before: '' })} className="text-blue-800 hover:underline">
              « Newest
            </Link>
          )}
          {result.prevCursor && (
            <Link href={hrefFor({ cursor: '', before: result.prevCursor })} className="text-blue-800 hover:underline" rel="prev">
              ← Newer requests
            </Link>
          )}
        </span>
        {result.nextCursor && (
          <Link href={hrefFor({ cursor: result.nextCursor, before: '' })} className="text-blue-800 hover:underline" rel="next">
            Older requests →
          </Link>
        )}
      </div>
    </div>
  );
}
