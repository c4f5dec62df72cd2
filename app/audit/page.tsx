import type { Metadata } from 'next';
import { AuditFilterForm } from '@/components/audit/audit-filter-form';
import { AuditTable } from '@/components/audit/audit-table';
import { VerifyButton } from '@/components/audit/verify-button';
import { can } from '@/lib/domain/authz/permissions';
import { filterToSearchParams, type TAuditFilter } from '@/lib/domain/audit/audit-filter';
import { listAuditActions, listAuditEvents } from '@/lib/server/audit/list-audit-events';
import { isAppError, type TFieldError } from '@/lib/server/errors';
import { requireActor } from '@/lib/web/auth';
import { listVisibleEnvironments } from '@/lib/server/queries/list-environments';

export const metadata: Metadata = { title: 'Audit history' };
export const dynamic = 'force-dynamic';

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<
    string,
    string | undefined
  >;
  const returnTo = `/audit${Object.keys(params).length ? `?${new URLSearchParams(params as Record<string, string>)}` : ''}`;
  const actor = await requireActor(returnTo);
  if (!can(actor, 'audit.view')) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">Audit history</h1>
        <p role="alert" data-testid="forbidden" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          Only auditors and admins can read the audit history.
        </p>
      </div>
    );
  }
  const { before, ...filterInput } = params;
  const names = new Map((await listVisibleEnvironments(actor)).map((e) => [e.id, e.name]));
  let errors: TFieldError[] = [];
  let page: Awaited<ReturnType<typeof listAuditEvents>> | null = null;
  try {
    page = await listAuditEvents(actor, filterInput, { before });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
    errors = error.fieldErrors;
  }
  const actions = await listAuditActions(actor);
  const filter: Partial<TAuditFilter> = page?.filter ?? (filterInput as Partial<TAuditFilter>);
  const query = page ? filterToSearchParams(page.filter) : new URLSearchParams();
  const environments = [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  const canExport = can(actor, 'audit.export');
  const exportHref = (format: 'csv' | 'ndjson') => `/api/audit/export?${new URLSearchParams([['format', format], ...query])}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Audit history</h1>
          <p className="text-sm text-slate-600">Append-only and hash-chained: every event carries the hash of the one before it.</p>
        </div>
        {canExport && page && (
          <div className="flex gap-2" aria-label="Export the filtered history">
            <a
              data-testid="export-csv"
              href={exportHref('csv')}
              download
              className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
            >
              Export CSV
            </a>
            <a
              data-testid="export-ndjson"
              href={exportHref('ndjson')}
              download
              className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
            >
              Export NDJSON
            </a>
          </div>
        )}
      </div>
      <AuditFilterForm filter={filter} environments={environments} actions={actions} errors={errors} />
      {can(actor, 'audit.view', 'global') && <VerifyButton />}
      {page && (
        <>
          <AuditTable events={page.events} environmentNames={names} />
          <nav aria-label="Pages" className="flex gap-3 text-sm">
            {before && (
              <a href={`/audit?${query}`} className="text-blue-700 hover:underline">
                ← Newest
              </a>
            )}
            {page.nextBefore && (
              <a
                data-testid="older"
                href={`/audit?${new URLSearchParams([...query, ['before', page.nextBefore]])}`}
                className="text-blue-700 hover:underline"
              >
                Older →
              </a>
            )}
          </nav>
        </>
      )}
    </div>
  );
}
