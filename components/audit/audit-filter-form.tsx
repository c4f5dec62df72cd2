import type { TAuditFilter } from '@/lib/domain/audit/audit-filter';
import type { TFieldError } from '@/lib/server/errors';

type TProps = {
  filter: Partial<TAuditFilter>;
  environments: { id: string; name: string }[];
  actions: string[];
  errors: TFieldError[];
};

const FIELDS = [
  { name: 'from', label: 'From (UTC)', placeholder: '2026-01-01' },
  { name: 'to', label: 'To (UTC, inclusive day)', placeholder: '2026-01-31' },
  { name: 'namespace', label: 'Namespace', placeholder: 'shop' },
  { name: 'ingressName', label: 'Ingress', placeholder: 'web' },
  { name: 'actor', label: 'Actor', placeholder: 'alice@example.com' },
  { name: 'action', label: 'Action', placeholder: 'change-request.*' },
  { name: 'changeRequestId', label: 'Request id', placeholder: 'UUID' },
] as const;

/** A plain GET form: the filter lives in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilterForm({ filter, environments, actions, errors }: TProps) {
  const errorFor = (name: string) => errors.find((e) => e.path === name)?.message;
  return (
    <form
      method="get"
      action="/audit"
      aria-label="Filter the audit history"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4"
    >
      <div>
        <label htmlFor="f-environmentId" className="block text-xs font-medium text-slate-700">
          Environment
        </label>
        <select
          id="f-environmentId"
          name="environmentId"
          defaultValue={filter.environmentId ?? ''}
          className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5 text-sm"
        >
          <option value="">All</option>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      {FIELDS.map((f) => {
        const error = errorFor(f.name);
        return (
          <div key={f.name}>
            <label htmlFor={`f-${f.name}`} className="block text-xs font-medium text-slate-700">
              {f.label}
            </label>
            <input
              id={`f-${f.name}`}
              name={f.name}
              defaultValue={filter[f.name] ?? ''}
              placeholder={f.placeholder}
              list={f.name === 'action' ? 'audit-actions' : undefined}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `f-${f.name}-error` : undefined}
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5 text-sm"
            />
            {error && (
              <p id={`f-${f.name}-error`} className="mt-1 text-xs text-red-700">
                {error}
              </p>
            )}
          </div>
        );
      })}
      <datalist id="audit-actions">
        {actions.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <div className="flex items-end gap-2 sm:col-span-4">
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
          Apply filter
        </button>
        <a href="/audit" className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
          Clear
        </a>
      </div>
    </form>
  );
}
