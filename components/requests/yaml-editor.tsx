'use client';

import { useImperativeHandle, useMemo, useRef, type Ref } from 'react';

export type TLineIssue = { line: number | null; message: string; path?: string };
export type TYamlEditorHandle = { goToLine: (line: number) => void };

/**
 * A plain textarea (paste-friendly, no HTML rendering of the text) with a line-number gutter that
 * marks the lines with problems. `goToLine` selects a line so error lists can jump to it.
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
}: {
  id: string;
  value: string;
  onChange?: (v: string) => void;
  issues: TLineIssue[];
  label: string;
  readOnly?: boolean;
  ref?: Ref<TYamlEditorHandle>;
  rows?: number;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = useMemo(() => Math.max(1, value.split('\n').length), [value]);
  const bad = useMemo(() => new Set(issues.map((i) => i.line).filter((l): l is number => l !== null)), [issues]);

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
    <div className="relative flex overflow-hidden rounded border border-slate-300 bg-white focus-within:outline-2 focus-within:outline-offset-1 focus-within:outline-blue-700">
      <div
        ref={gutter}
        aria-hidden="true"
        className="select-none overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right font-mono text-xs leading-5 text-slate-400"
        style={{ height: `${rows * 20 + 16}px` }}
      >
        {Array.from({ length: lineCount }, (_, i) => (
          <div key={i} className={`px-2 ${bad.has(i + 1) ? 'bg-red-100 font-bold text-red-700' : ''}`}>
            {bad.has(i + 1) ? '!' : ''}
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        ref={area}
        id={id}
        aria-label={label}
        aria-invalid={issues.length > 0}
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
