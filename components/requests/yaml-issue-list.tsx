'use client';

import type { TLineIssue } from './yaml-editor';

/** The YAML's problems under the editor; a problem with a line is a button that jumps there. */
export function YamlIssueList({ issues, onLine }: { issues: TLineIssue[]; onLine: (line: number) => void }) {
  if (issues.length === 0) return null;
  return (
    <ul data-testid="yaml-issues" className="space-y-1 text-sm text-red-800">
      {issues.map((i, n) => (
        <li key={n}>
          {i.line ? (
            <button type="button" className="underline" onClick={() => onLine(i.line!)}>
              Line {i.line}
            </button>
          ) : (
            <span>{i.path || 'Manifest'}</span>
          )}
          : {i.message}
        </li>
      ))}
    </ul>
  );
}
