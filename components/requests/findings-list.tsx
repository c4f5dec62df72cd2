import type { TFinding } from '@/lib/domain/risk/types';
import type { TPolicyEvaluation } from '@/lib/domain/policy/policy';
import { severityRank } from '@/lib/domain/risk/severity';
import { EmptyState } from '@/components/ui/card';
import { SeverityBadge } from '@/components/ui/badges';

/** Findings, most severe first, each with its text severity label, the line it points at and why. */
export function FindingsList({
  findings,
  onLine,
  selectedKey,
  typedLine,
}: {
  findings: TFinding[];
  onLine?: (f: TFinding) => void;
  selectedKey?: string | null;
  /** Where a finding is in the text the requester typed (new-request editor); its reference then
   * names that line and jumps there. Findings without one keep their diff line. */
  typedLine?: (f: TFinding) => number | undefined;
}) {
  if (findings.length === 0) return <EmptyState testId="findings-empty">No risk findings.</EmptyState>;
  const sorted = [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  return (
    <ul data-testid="findings" className="space-y-2">
      {sorted.map((f) => {
        const key = findingKey(f);
        return (
          <li
            key={key}
            id={`finding-${key}`}
            data-testid="finding"
            data-rule={f.ruleId}
            data-severity={f.severity}
            className={`rounded border px-3 py-2 text-sm ${selectedKey === key ? 'border-blue-500 ring-2 ring-blue-200' : 'border-slate-200'}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <SeverityBadge severity={f.severity} />
              <span className="font-semibold">{f.title}</span>
              <code className="text-xs text-slate-500">{f.ruleId}</code>
              {typedLine?.(f) !== undefined ? (
                <button
                  type="button"
                  onClick={() => onLine?.(f)}
                  className="ml-auto text-xs text-blue-800 underline"
                  data-testid="finding-line"
                >
                  line {typedLine(f)}
                </button>
              ) : (
                f.lines.length > 0 &&
                (onLine && !typedLine ? (
                  <button type="button" onClick={() => onLine(f)} className="ml-auto text-xs text-blue-800 underline">
                    {f.side === 'base' ? 'live' : 'proposed'} line {f.lines[0]}
                  </button>
                ) : (
                  <span className="ml-auto text-xs text-slate-500">
                    {f.side === 'base' ? 'live' : 'proposed'} line {f.lines.join(', ')}
                  </span>
                ))
              )}
            </div>
            <p className="mt-1 break-words text-slate-800">{f.message}</p>
            <details className="mt-1 text-xs text-slate-600">
              <summary className="cursor-pointer select-none">Why this matters</summary>
              <p className="mt-1">{f.why}</p>
              {f.reference && (
                <p className="mt-1 break-all">
                  Reference:{' '}
                  {isHttp(f.reference) ? (
                    <a className="text-blue-800 underline" href={f.reference} target="_blank" rel="noreferrer noopener">
                      {f.reference}
                    </a>
                  ) : (
                    f.reference
                  )}
                </p>
              )}
            </details>
          </li>
        );
      })}
    </ul>
  );
}

export function findingKey(f: TFinding): string {
  return `${f.ruleId}-${f.side}-${f.path}-${f.lines[0] ?? 0}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

function isHttp(s: string): boolean {
  return /^https:\/\//.test(s);
}

/** Policy violations block submission; warnings are shown to reviewers. */
export function PolicyResults({ policy }: { policy: TPolicyEvaluation }) {
  if (!policy.violations.length && !policy.warnings.length) return null;
  return (
    <div className="space-y-2" data-testid="policy">
      {policy.violations.length > 0 && (
        <div className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="policy-violations">
          <p className="font-semibold">Blocked by policy</p>
          <ul className="ml-4 list-disc">
            {policy.violations.map((v, i) => (
              <li key={i}>{v.message}</li>
            ))}
          </ul>
        </div>
      )}
      {policy.warnings.length > 0 && (
        <div className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="policy-warnings">
          <p className="font-semibold">Policy warnings</p>
          <ul className="ml-4 list-disc">
            {policy.warnings.map((v, i) => (
              <li key={i}>{v.message}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
