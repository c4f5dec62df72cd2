'use client';

import type { TFinding } from '@/lib/domain/risk/types';

export type TSide = 'L' | 'R';
export type TLineRef = { side: TSide; line: number };
export const lineKey = (ref: TLineRef) => `${ref.side}-${ref.line}`;

/** `#L-R12` → { side: 'R', line: 12 }; anything else → null. */
export function parseLineHash(hash: string): TLineRef | null {
  const m = /^#L-([LR])(\d{1,6})$/.exec(hash);
  return m ? { side: m[1] as TSide, line: Number(m[2]) } : null;
}
export const lineHash = (ref: TLineRef) => `#L-${ref.side}${ref.line}`;

const SEVERITY_CELL: Record<string, string> = {
  critical: 'bg-red-700 text-white',
  high: 'bg-orange-500 text-white',
  medium: 'bg-amber-300 text-amber-950',
  low: 'bg-sky-200 text-sky-950',
  info: 'bg-slate-200 text-slate-800',
};
const ABBR: Record<string, string> = { critical: 'CRIT', high: 'HIGH', medium: 'MED', low: 'LOW', info: 'INFO' };
const SIDE_NAME: Record<TSide, string> = { L: 'left', R: 'right' };

/** A speech-bubble icon drawn in SVG (no font glyph that may be missing). */
export function CommentIcon({ className = 'h-3 w-3' }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={className} fill="currentColor">
      <path d="M2 2.5A1.5 1.5 0 0 1 3.5 1h9A1.5 1.5 0 0 1 14 2.5v7a1.5 1.5 0 0 1-1.5 1.5H7l-3.2 2.8A.5.5 0 0 1 3 13.4V11h0A1.5 1.5 0 0 1 2 9.5v-7Z" />
    </svg>
  );
}

export type TGutterProps = {
  /** The line numbers this row shows: one side in split view, one or both in unified view. */
  refs: { L?: number; R?: number };
  unified: boolean;
  /** The row is an added, removed or changed line. */
  isChange: boolean;
  findingsAt: (key: string) => TFinding[] | undefined;
  threadsAt: (key: string) => number;
  selected: TLineRef | null;
  /** Line numbers are links (`#L-R12`) when the diff is the page's main one. */
  linkable: boolean;
  onSelect?: (ref: TLineRef) => void;
  onFinding?: (f: TFinding) => void;
  onThreads?: (ref: TLineRef) => void;
};

/**
 * The gutter cell of one diff row: line number(s) as keyboard-reachable links, the most severe
 * finding on the line, and the number of comment threads there.
 */
export function DiffGutter({
  refs,
  unified,
  isChange,
  findingsAt,
  threadsAt,
  selected,
  linkable,
  onSelect,
  onFinding,
  onThreads,
}: TGutterProps) {
  const sides = (['L', 'R'] as const).filter((s) => refs[s]);
  const keys = sides.map((s) => `${s}-${refs[s]}`);
  const list = keys.flatMap((k) => findingsAt(k) ?? []);
  const top = list[0];
  const topKey = keys.find((k) => findingsAt(k)?.length);
  const threadKey = keys.find((k) => threadsAt(k) > 0);
  const threads = keys.reduce((n, k) => n + threadsAt(k), 0);
  const isSelected = sides.some((s) => selected?.side === s && selected.line === refs[s]);
  return (
    <td
      className="whitespace-nowrap px-0.5 align-top"
      data-testid="diff-gutter"
      data-selected={isSelected ? 'true' : undefined}
      data-change={isChange ? 'true' : undefined}
      data-line-anchor={keys.join(' ') || undefined}
    >
      <span className="flex items-start gap-0.5 font-mono text-[11px] leading-[1.6em]">
        {(unified ? (['L', 'R'] as const) : sides).map((s) => {
          const n = refs[s];
          const cls = 'inline-block w-[3.5ch] shrink-0 text-right tabular-nums';
          if (!n) return <span key={s} className={cls} />;
          const ref = { side: s, line: n };
          return linkable ? (
            <a
              key={s}
              href={lineHash(ref)}
              id={`line-${s}-${n}`}
              data-testid="line-link"
              data-line={`${s}-${n}`}
              aria-label={`${SIDE_NAME[s]} line ${n}`}
              aria-current={selected?.side === s && selected.line === n ? 'location' : undefined}
              className={`${cls} rounded text-slate-500 hover:text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700`}
              onClick={(e) => {
                e.preventDefault();
                onSelect?.(ref);
              }}
            >
              {n}
            </a>
          ) : (
            <span key={s} className={`${cls} text-slate-500`}>
              {n}
            </span>
          );
        })}
        {top && topKey && (
          <button
            type="button"
            data-testid="line-finding"
            data-line={topKey}
            data-severity={top.severity}
            title={list.map((f) => `${f.severity.toUpperCase()}: ${f.title} — ${f.message}`).join('\n')}
            aria-label={`${top.severity} finding on ${SIDE_NAME[topKey[0] as TSide]} line ${topKey.slice(2)}: ${top.title}${list.length > 1 ? ` and ${list.length - 1} more` : ''}`}
            onClick={() => onFinding?.(top)}
            className={`rounded px-0.5 text-[10px] font-bold leading-4 ${SEVERITY_CELL[top.severity] ?? SEVERITY_CELL.info}`}
          >
            {ABBR[top.severity] ?? top.severity}
          </button>
        )}
        {threads > 0 && threadKey && (
          <button
            type="button"
            data-testid="line-comment-marker"
            data-line={threadKey}
            className="inline-flex items-center gap-px rounded px-0.5 text-[10px] leading-4 text-blue-800 hover:bg-blue-50"
            aria-label={`${threads} comment thread${threads === 1 ? '' : 's'} on ${SIDE_NAME[threadKey[0] as TSide]} line ${threadKey.slice(2)}`}
            onClick={() => onThreads?.({ side: threadKey[0] as TSide, line: Number(threadKey.slice(2)) })}
          >
            <CommentIcon />
            <span>{threads}</span>
          </button>
        )}
      </span>
    </td>
  );
}
