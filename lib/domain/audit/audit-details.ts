/**
 * A human summary of an event's `details` for the auditor's table: the before/after pair when
 * the event has one, and the remaining scalar facts. Cases: `before`/`after` objects or scalars
 * are rendered as compact `key: value` text; a missing side is null; nested objects elsewhere
 * are shown as JSON. Pure, so the page and tests agree.
 */
export type TDetailsSummary = { before: string | null; after: string | null; facts: [string, string][] };

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(show).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : show(v)}`)
    .join('; ');
}

export function summarizeDetails(details: unknown): TDetailsSummary {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return { before: null, after: null, facts: [] };
  const { before, after, ...rest } = details as Record<string, unknown>;
  return {
    before: before === undefined ? null : show(before),
    after: after === undefined ? null : show(after),
    facts: Object.entries(rest).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : show(v)]),
  };
}
