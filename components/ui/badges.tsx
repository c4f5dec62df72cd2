// Colour is never the only signal: every badge carries its text label.

const SEVERITY_CLASS: Record<string, string> = {
  critical: 'bg-red-700 text-white border-red-800',
  high: 'bg-orange-100 text-orange-900 border-orange-400',
  medium: 'bg-amber-100 text-amber-900 border-amber-400',
  low: 'bg-sky-100 text-sky-900 border-sky-300',
  info: 'bg-slate-100 text-slate-700 border-slate-300',
  none: 'bg-emerald-50 text-emerald-800 border-emerald-300',
};

export function severityKey(severity: string): string {
  return severity.toLowerCase();
}

export function SeverityBadge({ severity, compact = false }: { severity: string; compact?: boolean }) {
  const key = severityKey(severity);
  const label = key === 'none' ? 'no findings' : key;
  return (
    <span
      data-severity={key}
      className={`inline-flex items-center rounded border px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide ${SEVERITY_CLASS[key] ?? SEVERITY_CLASS.info}`}
    >
      {compact ? label.slice(0, 4) : label}
    </span>
  );
}

const STATUS_CLASS: Record<string, string> = {
  PENDING: 'bg-amber-50 text-amber-900 border-amber-300',
  APPROVED: 'bg-blue-50 text-blue-900 border-blue-300',
  SCHEDULED: 'bg-violet-50 text-violet-900 border-violet-300',
  APPLYING: 'bg-indigo-50 text-indigo-900 border-indigo-300',
  APPLIED: 'bg-emerald-50 text-emerald-900 border-emerald-300',
  REJECTED: 'bg-red-50 text-red-900 border-red-300',
  CANCELLED: 'bg-slate-100 text-slate-700 border-slate-300',
  STALE: 'bg-purple-50 text-purple-900 border-purple-300',
  FAILED: 'bg-red-100 text-red-900 border-red-400',
  EXPIRED: 'bg-slate-100 text-slate-600 border-slate-300',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      data-testid="status"
      data-status={status}
      className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${STATUS_CLASS[status] ?? STATUS_CLASS.PENDING}`}
    >
      {status.charAt(0) + status.slice(1).toLowerCase()}
    </span>
  );
}

/** Production is unmistakable: red, bold, labelled — not just a colour. */
export function EnvironmentBadge({ name, isProduction }: { name: string; isProduction: boolean }) {
  if (isProduction) {
    return (
      <span
        data-testid="environment"
        data-production="true"
        className="inline-flex items-center gap-1 rounded border-2 border-red-700 bg-red-700 px-1.5 py-0.5 text-xs font-bold uppercase tracking-wide text-white"
      >
        <span aria-hidden="true">▲</span>
        {name}
        <span className="sr-only"> (production)</span>
      </span>
    );
  }
  return (
    <span
      data-testid="environment"
      className="inline-flex items-center rounded border border-slate-300 bg-white px-1.5 py-0.5 text-xs font-medium text-slate-700"
    >
      {name}
    </span>
  );
}

export function ActionBadge({ action }: { action: string }) {
  const a = action.toLowerCase();
  const cls = a === 'delete' ? 'text-red-800' : a === 'create' ? 'text-emerald-800' : 'text-slate-700';
  return <span className={`text-xs font-semibold uppercase ${cls}`}>{a}</span>;
}
