import type { ReactDiffViewerStylesOverride } from 'react-diff-viewer-continued';

/**
 * The diff viewer's colours in both themes (the viewer switches with its useDarkTheme prop,
 * driven by usePrefersDark). Light: the library's, with line numbers at full strength (its
 * half-transparent numbers fail WCAG AA contrast). Dark: the app's dark surfaces (slate-900
 * panel, slate-800 titles and folds) with light text, so the diff reads like the page around it.
 */
export const DIFF_THEME: Pick<ReactDiffViewerStylesOverride, 'variables' | 'gutter'> = {
  variables: {
    light: {
      gutterColor: '#334155',
      addedGutterColor: '#14532d',
      removedGutterColor: '#7f1d1d',
      codeFoldContentColor: '#1e293b',
    },
    dark: {
      diffViewerBackground: '#0f172a',
      diffViewerColor: '#e2e8f0',
      diffViewerTitleBackground: '#1e293b',
      diffViewerTitleColor: '#f1f5f9',
      diffViewerTitleBorderColor: '#334155',
      addedBackground: '#05331f',
      addedColor: '#dcfce7',
      removedBackground: '#3f1016',
      removedColor: '#fee2e2',
      changedBackground: '#3a2e0b',
      wordAddedBackground: '#166534',
      wordRemovedBackground: '#991b1b',
      addedGutterBackground: '#064e3b',
      removedGutterBackground: '#7f1d1d',
      gutterBackground: '#111827',
      gutterBackgroundDark: '#1f2937',
      highlightBackground: '#422006',
      highlightGutterBackground: '#713f12',
      codeFoldGutterBackground: '#1e293b',
      codeFoldBackground: '#1e293b',
      emptyLineBackground: '#0b1220',
      gutterColor: '#cbd5e1',
      addedGutterColor: '#dcfce7',
      removedGutterColor: '#fee2e2',
      codeFoldContentColor: '#e2e8f0',
    },
  },
  gutter: { pre: { opacity: 1 } },
};
