'use client';

import type { ReactNode } from 'react';
import type { TAnalysis } from '@/lib/domain/analysis/analyse-change';
import type { TFinding } from '@/lib/domain/risk/types';
import { SeverityBadge } from '@/components/ui/badges';
import { FindingsList, PolicyResults } from './findings-list';

/**
 * The "Live analysis" side panel of the new-request and revise forms: the analysis when there is
 * one (policy, route counts, findings), else `waiting` (why there is none yet).
 */
export function LiveAnalysisPanel({
  analysis,
  waiting,
  showRouteCounts = false,
  typedLine,
  onTypedLine,
  className = 'space-y-3 lg:sticky lg:top-4 lg:self-start',
}: {
  analysis: TAnalysis | null;
  /** Shown while there is no analysis: what the requester should do, or that it is on its way. */
  waiting: ReactNode;
  showRouteCounts?: boolean;
  /** Where a finding is in the text typed (YAML editor); its reference then names that line, and a click calls onTypedLine. */
  typedLine?: (f: TFinding) => number | undefined;
  onTypedLine?: (line: number) => void;
  className?: string;
}) {
  return (
    <aside aria-labelledby="live-analysis-title" className={className} data-testid="live-analysis">
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="mb-2 flex items-center justify-between gap-2">
          <h2 id="live-analysis-title" className="text-sm font-semibold">
            Live analysis
          </h2>
          {analysis && <SeverityBadge severity={analysis.maxSeverity} />}
        </div>
        {!analysis ? (
          waiting
        ) : (
          <div className="space-y-3">
            <PolicyResults policy={analysis.policy} />
            {showRouteCounts && (
              <p className="text-xs text-slate-600">
                Routes: +{analysis.diff.routeCounts.added} −{analysis.diff.routeCounts.removed} ~{analysis.diff.routeCounts.changed}
                {analysis.diff.isIdentical ? ' · no change from the live object' : ''}
              </p>
            )}
            <FindingsList
              findings={analysis.findings}
              typedLine={typedLine}
              onLine={
                typedLine && onTypedLine
                  ? (f) => {
                      const line = typedLine(f);
                      if (line !== undefined) onTypedLine(line);
                    }
                  : undefined
              }
            />
          </div>
        )}
      </div>
    </aside>
  );
}
