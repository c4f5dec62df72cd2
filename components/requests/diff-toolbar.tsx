'use client';

import { btnSecondary } from '@/components/ui/buttons';
import type { TDiffPrefs } from './diff-prefs';

const seg = 'px-2 py-0.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700';

/** View (split/unified), wrap, whitespace and folding controls above a diff. */
export function DiffToolbar({
  lineCount,
  isLarge,
  isIdentical,
  prefs,
  setPrefs,
  showAll,
  setShowAll,
  shortcuts,
  onShortcuts,
}: {
  lineCount: number;
  isLarge: boolean;
  isIdentical: boolean;
  prefs: TDiffPrefs | null;
  setPrefs: (patch: Partial<TDiffPrefs>) => void;
  showAll: boolean;
  setShowAll: (update: (v: boolean) => boolean) => void;
  shortcuts: boolean;
  onShortcuts?: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 text-xs text-slate-600" data-testid="diff-toolbar">
      <span>
        {lineCount.toLocaleString('en')} lines{isLarge ? ' · large diff: rows render as you scroll' : ''}
        {isIdentical ? ' · no differences' : ''}
      </span>
      {prefs && (
        <>
          <div role="group" aria-label="Diff view" className="inline-flex overflow-hidden rounded border border-slate-300">
            {(['split', 'unified'] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={prefs.view === v}
                onClick={() => setPrefs({ view: v })}
                className={`${seg} ${prefs.view === v ? 'bg-slate-800 text-white' : 'bg-white text-slate-800 hover:bg-slate-100'}`}
              >
                {v === 'split' ? 'Split' : 'Unified'}
              </button>
            ))}
          </div>
          <label className="inline-flex items-center gap-1">
            <input type="checkbox" checked={prefs.wrap} onChange={(e) => setPrefs({ wrap: e.target.checked })} />
            Wrap lines
          </label>
          <label
            className="inline-flex items-center gap-1"
            title="Spaces inside a line and at its end; indentation still counts (it is YAML structure)."
          >
            <input type="checkbox" checked={prefs.hideWhitespace} onChange={(e) => setPrefs({ hideWhitespace: e.target.checked })} />
            Hide whitespace changes
          </label>
        </>
      )}
      <span className="ml-auto flex items-center gap-2">
        {shortcuts && (
          <button type="button" className="text-slate-600 underline decoration-dotted hover:text-slate-900" onClick={onShortcuts}>
            Shortcuts <kbd className="rounded border border-slate-300 px-1 font-mono no-underline">?</kbd>
          </button>
        )}
        <button type="button" className={`${btnSecondary} py-0.5 text-xs`} aria-pressed={showAll} onClick={() => setShowAll((v) => !v)}>
          {showAll ? 'Fold unchanged lines' : 'Show all lines'}
        </button>
      </span>
    </div>
  );
}
