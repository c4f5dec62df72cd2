'use client';

import { useEffect, useRef, useState } from 'react';
import type { TLineRef, TSide } from './diff-gutter';

/** True when a key press belongs to a text field (shortcuts must not fire while typing). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

const refOf = (key: string): TLineRef => ({ side: key[0] as TSide, line: Number(key.slice(2)) });

/**
 * The rows j/k stop at, in page order: each row with a finding, and the first row of each run of
 * changed rows. Each stop names the line to select (the right side when the row has one).
 */
export function navigationStops(container: HTMLElement): { row: Element; ref: TLineRef }[] {
  const stops: { row: Element; ref: TLineRef }[] = [];
  let previousChanged = false;
  for (const row of container.querySelectorAll('tr')) {
    const gutters = [...row.querySelectorAll<HTMLElement>(':scope > td[data-testid="diff-gutter"]')];
    if (!gutters.length) continue;
    const finding = row.querySelector<HTMLElement>('[data-testid="line-finding"]');
    const changed = gutters.some((g) => g.dataset.change === 'true');
    const keys = gutters.flatMap((g) => (g.dataset.lineAnchor ?? '').split(' ').filter(Boolean));
    const key = finding?.dataset.line ?? keys.find((k) => k.startsWith('R')) ?? keys[0];
    if (key && (finding || (changed && !previousChanged))) stops.push({ row, ref: refOf(key) });
    previousChanged = changed;
  }
  return stops;
}

/** j / k (next / previous finding or change), c (comment on the selected line), ? (this list). */
export function useDiffShortcuts({
  enabled,
  container,
  selected,
  select,
  onComment,
}: {
  enabled: boolean;
  container: HTMLElement | null;
  selected: TLineRef | null;
  select: (ref: TLineRef, opts: { scroll: boolean }) => void;
  onComment?: (ref: TLineRef) => void;
}) {
  const [helpOpen, setHelpOpen] = useState(false);
  const state = useRef({ selected, select, onComment, container });
  useEffect(() => {
    state.current = { selected, select, onComment, container };
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      const { selected, select, onComment, container } = state.current;
      if (e.key === '?') {
        e.preventDefault();
        setHelpOpen((v) => !v);
        return;
      }
      if (!container) return;
      if (e.key === 'j' || e.key === 'k') {
        const stops = navigationStops(container);
        if (!stops.length) return;
        const current = selected ? container.querySelector(`#line-${selected.side}-${selected.line}`)?.closest('tr') : null;
        const rows = [...container.querySelectorAll('tr')];
        const at = current ? rows.indexOf(current) : e.key === 'j' ? -1 : rows.length;
        const pick =
          e.key === 'j'
            ? stops.find((s) => rows.indexOf(s.row as HTMLTableRowElement) > at)
            : stops.findLast((s) => rows.indexOf(s.row as HTMLTableRowElement) < at);
        if (pick) {
          e.preventDefault();
          select(pick.ref, { scroll: true });
        }
        return;
      }
      if (e.key === 'c' && selected && onComment) {
        e.preventDefault();
        onComment(selected);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
  return { helpOpen, setHelpOpen };
}

const SHORTCUTS: [string, string][] = [
  ['j', 'Next finding or change'],
  ['k', 'Previous finding or change'],
  ['c', 'Comment on the selected line'],
  ['?', 'Show or hide this list'],
];

/** The list of shortcuts, as a modal dialog (Esc or the button closes it). */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="shortcut-help-title"
      data-testid="shortcut-help"
      className="m-auto max-w-sm rounded-lg border border-slate-300 bg-white p-4 text-sm text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id="shortcut-help-title" className="mb-2 text-base font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {SHORTCUTS.map(([k, what]) => (
          <div key={k} className="contents">
            <dt>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono">{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-600">
        Line numbers are links: Tab to one and press Enter to select it. Shortcuts do nothing while you type in a field.
      </p>
      <button type="button" className="mt-3 rounded border border-slate-300 px-3 py-1 text-sm" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
