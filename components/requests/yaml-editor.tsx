'use client';

import { useImperativeHandle, useMemo, useRef, type Ref } from 'react';

/** `finding`: a risk finding at a typed line (amber); anything else is an error (red). */
export type TLineIssue = { line: number | null; message: string; path?: string; kind?: 'error' | 'finding' };
export type TYamlEditorHandle = { goToLine: (line: number) => void };

/**
 * A plain textarea (paste-friendly, no HTML rendering of the text) with a line-number gutter that
 * marks the lines with problems and findings. `goToLine` selects a line so error and finding
 * lists can jump to it. With `onFile`, a file dropped on the editor is handed over (the caller
 * decodes it strictly).
 */
export function YamlEditor({
  id,
  value,
  onChange,
  issues,
  label,
  readOnly = false,
  ref,
  rows = 22,
  onFile,
}: {
  id: string;
  value: string;
  onChange?: (v: string) => void;
  issues: TLineIssue[];
  label: string;
  readOnly?: boolean;
  ref?: Ref<TYamlEditorHandle>;
  rows?: number;
  onFile?: (file: File) => void;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = useMemo(() => Math.max(1, value.split('\n').length), [value]);
  const bad = useMemo(
    () =>
      new Set(
        issues
          .filter((i) => i.kind !== 'finding')
          .map((i) => i.line)
          .filter((l): l is number => l !== null),
      ),
    [issues],
  );
  const flagged = useMemo(
    () =>
      new Set(
        issues
          .filter((i) => i.kind === 'finding')
          .map((i) => i.line)
          .filter((l): l is number => l !== null),
      ),
    [issues],
  );

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const el = area.current;
      if (!el) return;
      const lines = el.value.split('\n');
      let start = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) start += (lines[i]?.length ?? 0) + 1;
      const end = start + (lines[line - 1]?.length ?? 0);
      el.focus();
      el.setSelectionRange(start, end);
      el.scrollTop = Math.max(0, (line - 5) * 20);
    },
  }));

  return (
    <div
      className="relative flex overflow-hidden rounded border border-slate-300 bg-white focus-within:outline-2 focus-within:outline-offset-1 focus-within:outline-blue-700"
      data-testid={`${id}-dropzone`}
      onDragOver={onFile ? (e) => e.preventDefault() : undefined}
      onDrop={
        onFile
          ? (e) => {
              const file = e.dataTransfer.files[0];
              if (!file) return;
              e.preventDefault();
              onFile(file);
            }
          : undefined
      }
    >
      <div
        ref={gutter}
        aria-hidden="true"
        className="select-none overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right font-mono text-xs leading-5 text-slate-500"
        style={{ height: `${rows * 20 + 16}px` }}
      >
        {Array.from({ length: lineCount }, (_, i) => (
          <div
            key={i}
            data-line={i + 1}
            data-mark={bad.has(i + 1) ? 'error' : flagged.has(i + 1) ? 'finding' : undefined}
            className={`px-2 ${bad.has(i + 1) ? 'bg-red-100 font-bold text-red-700' : flagged.has(i + 1) ? 'bg-amber-100 font-bold text-amber-800' : ''}`}
          >
            {bad.has(i + 1) ? '!' : flagged.has(i + 1) ? '▲' : ''}
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        ref={area}
        id={id}
        aria-label={label}
        aria-invalid={bad.size > 0 || issues.some((i) => i.kind !== 'finding' && i.line === null)}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        onChange={(e) => onChange?.(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        className="block w-full resize-none whitespace-pre bg-transparent px-3 py-2 font-mono text-xs leading-5 text-slate-900 outline-none"
        style={{ height: `${rows * 20 + 16}px` }}
      />
    </div>
  );
}
