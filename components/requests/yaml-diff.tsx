'use client';

import dynamic from 'next/dynamic';
import { useMemo, useState } from 'react';
import type { TFinding } from '@/lib/domain/risk/types';
import { severityRank } from '@/lib/domain/risk/severity';
import { btnSecondary } from '@/components/ui/buttons';

// The viewer computes the diff in a Web Worker and measures the DOM: client only.
const DiffViewer = dynamic(() => import('react-diff-viewer-continued').then((m) => m.default), {
  ssr: false,
  loading: () => <DiffLoading />,
});

function DiffLoading() {
  return (
    <div role="status" className="flex h-40 items-center justify-center rounded border border-slate-200 bg-slate-50 text-sm text-slate-600">
      Computing the diff…
    </div>
  );
}

const SEVERITY_CELL: Record<string, string> = {
  critical: 'bg-red-700 text-white',
  high: 'bg-orange-500 text-white',
  medium: 'bg-amber-300 text-amber-950',
  low: 'bg-sky-200 text-sky-950',
  info: 'bg-slate-200 text-slate-800',
};
const ABBR: Record<string, string> = { critical: 'CRIT', high: 'HIGH', medium: 'MED', low: 'LOW', info: 'INFO' };

export type TDiffSideFindings = { left: TFinding[]; right: TFinding[] };
export type TLineRef = { side: 'L' | 'R'; line: number };

/** Text only: YAML and annotation values are untrusted and never become HTML. */
const renderText = (source: string) => <span>{source}</span>;

// The library's 1000px minimum overflows the page at 1280 px; wrap long values instead.
const DIFF_STYLES = { diffContainer: { minWidth: '36rem' }, contentText: { wordBreak: 'break-all' as const } };

/** Large diffs are virtualised (only visible rows are in the DOM) and unchanged regions folded. */
const LARGE = 600;

/**
 * Side-by-side YAML diff with risk findings marked on the lines they point at (a severity label
 * in the gutter, the line highlighted, never folded away) and line-comment markers. Clicking a
 * line number picks that line for a comment.
 */
export function YamlDiff({
  oldValue,
  newValue,
  leftTitle,
  rightTitle,
  findings,
  commentCounts,
  onFinding,
  onLine,
}: {
  oldValue: string;
  newValue: string;
  leftTitle: string;
  rightTitle: string;
  findings: TDiffSideFindings;
  commentCounts: Map<string, number>;
  onFinding?: (f: TFinding) => void;
  onLine?: (ref: TLineRef) => void;
}) {
  const [showAll, setShowAll] = useState(false);
  const lineCount = useMemo(() => Math.max(oldValue.split('\n').length, newValue.split('\n').length), [oldValue, newValue]);
  const isLarge = lineCount > LARGE;
  const byLine = useMemo(() => {
    const m = new Map<string, TFinding[]>();
    const add = (prefix: 'L' | 'R', list: TFinding[]) => {
      for (const f of list)
        for (const l of f.lines) {
          const k = `${prefix}-${l}`;
          const arr = m.get(k) ?? [];
          arr.push(f);
          m.set(k, arr);
        }
    };
    add('L', findings.left);
    add('R', findings.right);
    for (const arr of m.values()) arr.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    return m;
  }, [findings]);
  const marked = useMemo(() => [...byLine.keys()], [byLine]);
  const isIdentical = oldValue === newValue;

  return (
    <div className="space-y-2" data-testid="yaml-diff">
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span>
          {lineCount.toLocaleString('en')} lines{isLarge ? ' · large diff: rows render as you scroll' : ''}
          {isIdentical ? ' · no differences' : ''}
        </span>
        <button
          type="button"
          className={`${btnSecondary} ml-auto py-0.5 text-xs`}
          aria-pressed={showAll}
          onClick={() => setShowAll((v) => !v)}
        >
          {showAll ? 'Fold unchanged lines' : 'Show all lines'}
        </button>
      </div>
      <div className="overflow-x-auto rounded border border-slate-200 text-xs">
        <DiffViewer
          // Remount on fold/unfold: the viewer computes its virtual-scroll offsets on mount only.
          key={showAll ? 'all' : 'folded'}
          oldValue={oldValue}
          newValue={newValue}
          splitView
          leftTitle={leftTitle}
          rightTitle={rightTitle}
          hideSummary
          styles={DIFF_STYLES}
          showDiffOnly={!showAll}
          extraLinesSurroundingDiff={3}
          alwaysShowLines={marked}
          highlightLines={marked}
          renderContent={renderText}
          loadingElement={DiffLoading}
          infiniteLoading={isLarge ? { pageSize: 200, containerHeight: '70vh', overscan: 30 } : undefined}
          onLineNumberClick={(id) => {
            const [side, n] = id.split('-');
            if ((side === 'L' || side === 'R') && n) onLine?.({ side, line: Number(n) });
          }}
          codeFoldMessageRenderer={(total) => (
            <span className="text-xs text-slate-700">
              Show {total} unchanged line{total === 1 ? '' : 's'}
            </span>
          )}
          renderGutter={({ lineNumber, prefix }) => {
            const key = `${prefix}-${lineNumber}`;
            const list = lineNumber ? byLine.get(key) : undefined;
            const comments = lineNumber ? (commentCounts.get(key) ?? 0) : 0;
            const top = list?.[0];
            return (
              <td className="w-[50px] whitespace-nowrap px-0.5 align-top">
                {top && (
                  <button
                    type="button"
                    data-testid="line-finding"
                    data-line={key}
                    data-severity={top.severity}
                    title={list!.map((f) => `${f.severity.toUpperCase()}: ${f.title} — ${f.message}`).join('\n')}
                    aria-label={`${top.severity} finding on ${prefix === 'L' ? 'left' : 'right'} line ${lineNumber}: ${top.title}${list!.length > 1 ? ` and ${list!.length - 1} more` : ''}`}
                    onClick={() => onFinding?.(top)}
                    className={`rounded px-1 text-[10px] font-bold leading-4 ${SEVERITY_CELL[top.severity] ?? SEVERITY_CELL.info}`}
                  >
                    {ABBR[top.severity] ?? top.severity}
                  </button>
                )}
                {comments > 0 && (
                  <span
                    data-testid="line-comment-marker"
                    className="ml-0.5 text-[10px] text-blue-800"
                    title={`${comments} comment${comments === 1 ? '' : 's'} on this line`}
                  >
                    💬{comments}
                  </span>
                )}
              </td>
            );
          }}
        />
      </div>
    </div>
  );
}
