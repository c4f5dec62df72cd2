import { z } from 'zod';
import { UUID_PATTERN } from '../text/uuid';

/**
 * The auditor's filter, shared by the page, the export route and the verify-export header.
 * Every field is optional; an empty string (an untouched form field) means "not set".
 * Dates: `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm[:ss]`, read as UTC. `from` is inclusive; `to` is
 * inclusive of the whole day when only a date is given (`to=2026-01-31` ends at 2026-02-01T00:00Z).
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (max: number) => z.preprocess(emptyToUndefined, z.string().trim().max(max, `At most ${max} characters.`).optional());
const uuid = (message: string) => z.preprocess(emptyToUndefined, z.string().trim().regex(UUID_PATTERN, message).optional());
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?(?:Z)?$/;
const date = z.preprocess(emptyToUndefined, z.string().trim().regex(DATE, 'Use a date like 2026-01-31 or 2026-01-31T14:30.').optional());

export const ZAuditFilter = z
  .object({
    from: date,
    to: date,
    environmentId: uuid('Choose an environment from the list.'),
    namespace: text(253),
    ingressName: text(253),
    /** Matches the actor's label (email, "worker", "system"), case-insensitively, anywhere in it. */
    actor: text(320),
    /** Exact action (`change-request.approved`), or a prefix ending in `*` (`change-request.*`). */
    action: text(100),
    changeRequestId: uuid('A change request id is a UUID (open the request and copy it from its address).'),
  })
  .refine((f) => !f.from || !f.to || toRange(f).from! < toRange(f).to!, { path: ['to'], message: '"To" must be after "from".' });

export type TAuditFilter = z.infer<typeof ZAuditFilter>;

function parseUtc(value: string, endOfDay: boolean): Date {
  const m = DATE.exec(value)!;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  // A date alone as the upper bound covers that whole day.
  return new Date(endOfDay && h === undefined ? t + 86_400_000 : t);
}

/** The filter's time range as instants: `from` inclusive, `to` exclusive. */
export function toRange(filter: { from?: string | undefined; to?: string | undefined }): { from: Date | null; to: Date | null } {
  return { from: filter.from ? parseUtc(filter.from, false) : null, to: filter.to ? parseUtc(filter.to, true) : null };
}

/** Whether any field is set (an unfiltered export is the whole chain, from genesis). */
export function isFiltered(filter: TAuditFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}

/** The filter as URL search params, for links (pagination, export) that keep it. */
export function filterToSearchParams(filter: TAuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) params.set(key, value);
  return params;
}

function compact(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * `audit_<from>_<to>_exported-<time>.<ext>`, ASCII only so every browser keeps it:
 * e.g. `audit_20260101_20260131_exported-20260201T093000Z.csv`; "beginning"/"now" for open ends.
 */
export function auditExportFileName(filter: TAuditFilter, exportedAt: Date, format: 'csv' | 'ndjson'): string {
  const day = (v: string | undefined, fallback: string) => (v ? v.replace(/[-:]/g, '').replace(/\.\d+$/, '') : fallback);
  return `audit_${day(filter.from, 'beginning')}_${day(filter.to, 'now')}_exported-${compact(exportedAt)}.${format}`;
}
