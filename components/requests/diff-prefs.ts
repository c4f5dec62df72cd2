'use client';

import { useCallback, useSyncExternalStore } from 'react';

/** How diffs are shown; remembered per browser, for every diff in the app. */
export type TDiffPrefs = { view: 'split' | 'unified'; wrap: boolean; hideWhitespace: boolean };

export const DIFF_PREFS_KEY = 'ingress-gate.diff-prefs';
/** Below this width a diff opens unified unless the reader chose otherwise. */
export const UNIFIED_BELOW_PX = 900;

const listeners = new Set<() => void>();
let cached: { raw: string | null; width: boolean; prefs: TDiffPrefs } | null = null;

function read(): TDiffPrefs {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(DIFF_PREFS_KEY);
  } catch {
    // Storage may be unavailable (private mode, disabled): defaults then.
  }
  const narrow = window.innerWidth < UNIFIED_BELOW_PX;
  if (cached && cached.raw === raw && cached.width === narrow) return cached.prefs;
  let stored: Partial<TDiffPrefs> = {};
  try {
    stored = raw ? (JSON.parse(raw) as Partial<TDiffPrefs>) : {};
  } catch {
    stored = {};
  }
  const prefs: TDiffPrefs = {
    view: stored.view === 'split' || stored.view === 'unified' ? stored.view : narrow ? 'unified' : 'split',
    wrap: typeof stored.wrap === 'boolean' ? stored.wrap : true,
    hideWhitespace: typeof stored.hideWhitespace === 'boolean' ? stored.hideWhitespace : false,
  };
  cached = { raw, width: narrow, prefs };
  return prefs;
}

function subscribe(cb: () => void) {
  listeners.add(cb);
  const onStorage = (e: StorageEvent) => e.key === DIFF_PREFS_KEY && cb();
  window.addEventListener('storage', onStorage);
  window.addEventListener('resize', cb);
  return () => {
    listeners.delete(cb);
    window.removeEventListener('storage', onStorage);
    window.removeEventListener('resize', cb);
  };
}

/**
 * The reader's diff preferences, or null while rendering on the server (the viewer is client-only).
 * Only what the reader changed is stored, so an unchosen view still follows the window's width.
 */
export function useDiffPrefs(): [TDiffPrefs | null, (patch: Partial<TDiffPrefs>) => void] {
  const prefs = useSyncExternalStore(subscribe, read, () => null);
  const update = useCallback((patch: Partial<TDiffPrefs>) => {
    let stored: Partial<TDiffPrefs> = {};
    try {
      stored = JSON.parse(window.localStorage.getItem(DIFF_PREFS_KEY) ?? '{}') as Partial<TDiffPrefs>;
      window.localStorage.setItem(DIFF_PREFS_KEY, JSON.stringify({ ...stored, ...patch }));
    } catch {
      cached = { raw: null, width: window.innerWidth < UNIFIED_BELOW_PX, prefs: { ...read(), ...patch } };
    }
    for (const l of listeners) l();
  }, []);
  return [prefs, update];
}
