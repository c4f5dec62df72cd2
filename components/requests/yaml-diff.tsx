'use client';

// The viewer is imported statically: it ships in the page's own chunk and starts with the page,
// instead of a lazy chunk requested after hydration (issue 19). It still renders only in the
// browser (it measures the DOM): see `prefs`, null on the server.
import DiffViewer from 'react-diff-viewer-continued';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { TFinding } from '@/lib/domain/risk/types';
import { severityRank } from '@/lib/domain/risk/severity';
import { useBelowRows } from './diff-below-rows';
import { DiffGutter, lineHash, lineKey, parseLineHash, type TLineRef } from './diff-gutter';
import { useDiffPrefs } from './diff-prefs';
import { DiffToolbar } from './diff-toolbar';
import { diffStyles, hideWhitespaceText, wordDiffMethod } from './diff-styles';
import { ShortcutHelp, useDiffShortcuts } from './diff-shortcuts';
import { usePrefersDark } from '@/components/theme/use-prefers-dark';

export type { TLineRef } from './diff-gutter';
export type TDiffSideFindings = { left: TFinding[]; right: TFinding[] };

function DiffLoading() {
  return (
    <div role="status" className="flex h-40 items-center justify-center rounded border border-slate-200 bg-slate-50 text-sm text-slate-600">
      Computing the diff…
    </div>
  );
}

/** Text only: YAML and annotation values are untrusted and never become HTML. */
const renderText = (source: string) => <span>{source}</span>;

/** Large diffs are virtualised (only visible rows are in the DOM) and unchanged regions folded. */
const LARGE = 600;

export type TYamlDiffProps = {
  oldValue: string;
  newValue: string;
  leftTitle: string;
  rightTitle: string;
  findings: TDiffSideFindings;
  /** Comment threads per line key (`R-12`), shown as a marker in the gutter. */
  commentCounts?: Map<string, number>;
  onFinding?: (f: TFinding) => void;
  /**
   * The page's main diff: line numbers are links (`#L-R12`), the URL's line is scrolled to and
   * highlighted, and the review shortcuts (j/k/c/?) are active.
   */
  linkable?: boolean;
  /** Called when a line is selected (click, deep link, j/k). */
  onSelect?: (ref: TLineRef | null) => void;
  /** `c` on a selected line. */
  onComment?: (ref: TLineRef) => void;
  /** Lines (keys) that have something shown under them, and what. */
  belowKeys?: string[];
  renderBelow?: (key: string) => ReactNode;
};

/**
 * The YAML diff: split or unified (remembered; unified by default on narrow screens), wrapping and
 * whitespace toggles, word marks that follow YAML tokens, risk findings in the gutter (never
 * folded away), comment markers, line deep links, and rows under lines for comment threads.
 */
export function YamlDiff(props: TYamlDiffProps) {
  const { oldValue, newValue, leftTitle, rightTitle, findings, commentCounts, onFinding, linkable = false, onSelect, onComment } = props;
  const [prefs, setPrefs] = useDiffPrefs();
  const [showAll, setShowAll] = useState(false);
  const [selected, setSelected] = useState<TLineRef | null>(null);
  // The line named by the URL when the diff mounted: never folded away (read once: changing
  // the viewer's always-shown lines later would need a recomputation).
  const [initialLine, setInitialLine] = useState<TLineRef | null | undefined>(linkable ? undefined : null);
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const lineCount = useMemo(() => Math.max(oldValue.split('\n').length, newValue.split('\n').length), [oldValue, newValue]);
  const isLarge = lineCount > LARGE;
  const byLine = useMemo(() => {
    const m = new Map<string, TFinding[]>();
    const add = (prefix: 'L' | 'R', list: TFinding[]) => {
      for (const f of list)
        for (const l of f.lines) {
          const k = `${prefix}-${l}`;
          m.set(k, [...(m.get(k) ?? []), f]);
        }
    };
    add('L', findings.left);
    add('R', findings.right);
    for (const arr of m.values()) arr.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    return m;
  }, [findings]);
  const marked = useMemo(() => [...byLine.keys()], [byLine]);
  const alwaysShown = useMemo(() => (initialLine ? [...marked, lineKey(initialLine)] : marked), [marked, initialLine]);
  const isIdentical = oldValue === newValue;

  const select = useCallback(
    (ref: TLineRef | null, opts: { updateUrl?: boolean; scroll?: boolean } = {}) => {
      setSelected(ref);
      onSelect?.(ref);
      if (linkable && opts.updateUrl !== false)
        window.history.replaceState(window.history.state, '', ref ? lineHash(ref) : window.location.pathname + window.location.search);
      if (ref && opts.scroll) scrollToLine(container, ref);
    },
    [container, linkable, onSelect],
  );

  // Deep links: the line in the URL on load and on hash changes.
  useEffect(() => {
    if (!linkable) return;
    const fromHash = () => parseLineHash(window.location.hash);
    setInitialLine((v) => (v === undefined ? fromHash() : v));
    const onHash = () => {
      const ref = fromHash();
      if (ref) select(ref, { updateUrl: false, scroll: true });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [linkable, select]);
  // Once the rows exist, scroll to and select the URL's line.
  useEffect(() => {
    if (!initialLine || !container) return;
    return whenLineRendered(container, initialLine, () => select(initialLine, { updateUrl: false, scroll: true }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialLine, container]);

  const { helpOpen, setHelpOpen } = useDiffShortcuts({ enabled: linkable, container, selected, select, onComment });
  const renderBelowRows = useBelowRows(container, props.belowKeys ?? []);
  const styles = useMemo(() => diffStyles(prefs?.view === 'split', prefs?.wrap ?? true), [prefs?.view, prefs?.wrap]);
  // The viewer's own colours follow the system theme (components/theme/diff-theme.ts).
  const isDark = usePrefersDark();
  const shownOld = useMemo(() => (prefs?.hideWhitespace ? hideWhitespaceText(oldValue) : oldValue), [prefs?.hideWhitespace, oldValue]);
  const shownNew = useMemo(() => (prefs?.hideWhitespace ? hideWhitespaceText(newValue) : newValue), [prefs?.hideWhitespace, newValue]);
  const ready = prefs !== null && initialLine !== undefined;

  return (
    <div className="space-y-2" data-testid="yaml-diff" data-view={prefs?.view} data-wrap={prefs ? String(prefs.wrap) : undefined}>
      <DiffToolbar
        lineCount={lineCount}
        isLarge={isLarge}
        isIdentical={isIdentical}
        prefs={prefs}
        setPrefs={setPrefs}
        showAll={showAll}
        setShowAll={setShowAll}
        shortcuts={linkable}
        onShortcuts={() => setHelpOpen(true)}
      />
      <div ref={setContainer} className="overflow-x-auto rounded border border-slate-200 text-xs">
        {!ready ? (
          <DiffLoading />
        ) : (
          <DiffViewer
            // Remount on fold/unfold and whitespace: the viewer computes virtual-scroll offsets on mount only.
            key={`${showAll ? 'all' : 'folded'}:${prefs.hideWhitespace}`}
            oldValue={shownOld}
            newValue={shownNew}
            splitView={prefs.view === 'split'}
            leftTitle={leftTitle}
            rightTitle={prefs.view === 'split' ? rightTitle : `${leftTitle} → ${rightTitle}`}
            hideSummary
            hideLineNumbers
            styles={styles}
            useDarkTheme={isDark}
            compareMethod={wordDiffMethod(prefs.hideWhitespace)}
            // A function compare method cannot be posted to the viewer's Web Worker.
            disableWorker
            showDiffOnly={!showAll}
            extraLinesSurroundingDiff={3}
            alwaysShowLines={alwaysShown}
            highlightLines={marked}
            renderContent={renderText}
            loadingElement={DiffLoading}
            infiniteLoading={isLarge ? { pageSize: 200, containerHeight: '70vh', overscan: 30 } : undefined}
            codeFoldMessageRenderer={(total) => (
              <span className="text-xs text-slate-700">
                Show {total} unchanged line{total === 1 ? '' : 's'}
              </span>
            )}
            renderGutter={({ lineNumber, prefix, additionalLineNumber, type }) => {
              const unified = prefs.view === 'unified';
              const refs: { L?: number; R?: number } = unified
                ? prefix === 'L'
                  ? { L: lineNumber || undefined, R: additionalLineNumber || undefined }
                  : { R: lineNumber || additionalLineNumber || undefined }
                : { [prefix]: lineNumber || undefined };
              return (
                <DiffGutter
                  refs={refs}
                  unified={unified}
                  isChange={type !== 0}
                  findingsAt={(k) => byLine.get(k)}
                  threadsAt={(k) => commentCounts?.get(k) ?? 0}
                  selected={selected}
                  linkable={linkable}
                  onSelect={(ref) => select(ref)}
                  onFinding={onFinding}
                  onThreads={(ref) => select(ref, { scroll: true })}
                />
              );
            }}
          />
        )}
        {props.renderBelow && renderBelowRows(props.renderBelow)}
      </div>
      {linkable && <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />}
    </div>
  );
}

function lineElement(container: HTMLElement | null, ref: TLineRef): HTMLElement | null {
  return container?.querySelector<HTMLElement>(`#line-${ref.side}-${ref.line}`) ?? null;
}

/** Scrolls a line into the middle of the view and focuses its link. */
export function scrollToLine(container: HTMLElement | null, ref: TLineRef) {
  const el = lineElement(container, ref);
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
}

/** Runs `then` once the line's row is in the DOM (the viewer renders after computing the diff). */
function whenLineRendered(container: HTMLElement, ref: TLineRef, then: () => void): () => void {
  if (lineElement(container, ref)) {
    then();
    return () => {};
  }
  const observer = new MutationObserver(() => {
    if (!lineElement(container, ref)) return;
    observer.disconnect();
    then();
  });
  observer.observe(container, { childList: true, subtree: true });
  return () => observer.disconnect();
}
