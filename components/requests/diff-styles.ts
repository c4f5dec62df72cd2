import type { ReactDiffViewerProps, ReactDiffViewerStylesOverride } from 'react-diff-viewer-continued';
import { yamlWordDiff } from '@/lib/domain/diff/yaml-word-diff';
import { DIFF_THEME } from '@/components/theme/diff-theme';

type TCompare = (a: string, b: string) => ReturnType<Extract<ReactDiffViewerProps['compareMethod'], (a: string, b: string) => unknown>>;
// Stable references: the viewer recomputes the diff whenever its compare method changes identity.
const wordsExact: TCompare = (a, b) => yamlWordDiff(a, b) as unknown as ReturnType<TCompare>;
const wordsIgnoringSpace: TCompare = (a, b) => yamlWordDiff(a, b, { ignoreWhitespace: true }) as unknown as ReturnType<TCompare>;

/** Word marks that follow YAML tokens (keys, values, punctuation), not characters. */
export const wordDiffMethod = (ignoreWhitespace: boolean) => (ignoreWhitespace ? wordsIgnoringSpace : wordsExact);

/**
 * "Hide whitespace changes": runs of spaces inside a line count as one and trailing spaces are
 * dropped. Indentation is kept — in YAML it is structure, not layout. Line numbers do not move.
 */
export function hideWhitespaceText(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const indent = /^[ \t]*/.exec(line)![0];
      return (
        indent +
        line
          .slice(indent.length)
          .replace(/[ \t]+/g, ' ')
          .trimEnd()
      );
    })
    .join('\n');
}

const cache = new Map<string, ReactDiffViewerStylesOverride>();

/**
 * Style overrides (memoised: the viewer recomputes its CSS when the object changes). Wrapping
 * breaks at spaces first and inside a word only when a word is wider than the column; without
 * wrapping the table takes its natural width and the diff (not the page) scrolls sideways.
 * The gutter column holds our line numbers, finding label and comment marker.
 */
export function diffStyles(split: boolean, wrap: boolean): ReactDiffViewerStylesOverride {
  const key = `${split}:${wrap}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const gutter = split ? '5.25rem' : '6rem';
  const styles: ReactDiffViewerStylesOverride = {
    ...DIFF_THEME,
    diffContainer: {
      minWidth: split ? '40rem' : 0,
      ...(wrap ? {} : { width: 'max-content', minWidth: '100%', tableLayout: 'auto' }),
      '& col:nth-of-type(1), & col:nth-of-type(4)': { width: gutter },
      '& col:nth-of-type(2), & col:nth-of-type(5)': { width: '1.1rem' },
      ...(wrap ? {} : { '& [class*="-line-body"]': { flex: '0 0 auto' } }),
      // The selected line (deep link, click, j/k): an amber rule above and below the row.
      '& tr:has(> td[data-selected]) > td': { boxShadow: 'inset 0 2px 0 #d97706, inset 0 -2px 0 #d97706' },
      '& td[data-selected]': { backgroundColor: '#fef3c7' },
      // In unified view the library (react-diff-viewer-continued 4.4.0, with our own gutter) still
      // gives a folded-lines row the split view's six cells; as the first row of a fixed-layout table
      // it made six columns and squeezed the code into one of them. The cells after the message hide.
      ...(split ? {} : { '& tr[class*="-code-fold"] > td:nth-of-type(n+4)': { display: 'none' } }),
      '@media (max-width: 768px)': { minWidth: split ? '40rem' : 0 },
      // Phones: a narrower gutter and 11px code keep a normal manifest's rows to a few lines.
      '@media (max-width: 640px)': {
        '& col:nth-of-type(1), & col:nth-of-type(4)': { width: split ? '4.75rem' : '5.25rem' },
        '& col:nth-of-type(2), & col:nth-of-type(5)': { width: '0.9rem' },
      },
    },
    line: { '@media (max-width: 640px)': { fontSize: 11 } },
    marker: { paddingLeft: 2, paddingRight: 2 },
    contentText: wrap
      ? { whiteSpace: 'pre-wrap', lineBreak: 'auto', wordBreak: 'normal', overflowWrap: 'anywhere' }
      : { whiteSpace: 'pre', lineBreak: 'auto', wordBreak: 'normal' },
  };
  cache.set(key, styles);
  return styles;
}
