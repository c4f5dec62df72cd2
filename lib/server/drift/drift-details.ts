import type { TAnalysis } from '@/lib/domain/analysis/analyse-change';
import type { TDriftComparison, TDriftField } from '@/lib/domain/drift/compare-drift';

/** A change request raised from the drift page to answer this drift. */
export type TRemediation = {
  kind: 'RESTORE' | 'ADOPT' | 'IMPORT';
  changeRequestId: string;
  number: number;
  requestedById: string;
  requestedAt: string;
};

/** What DriftRecord.details holds (JSON). */
export type TDriftDetails = {
  reason: TDriftComparison['reason'];
  fields: TDriftField[];
  managers: string[];
  appliedVersionId: string | null;
  appliedResourceVersion: string | null;
  appliedAt: string | null;
  appliedHash: string | null;
  liveHash: string | null;
  /** Applied → live analysed like a proposed change (diff, routes, findings); null when in sync. */
  analysis: TAnalysis | null;
  remediation: TRemediation | null;
};

/** One line for a request's justification: what drifted, which fields, by whom. */
export function describeDrift(state: string, paths: string[], managers: string[]): string {
  const by = managers.length ? ` by ${managers.join(', ')}` : '';
  if (state === 'DELETED') return `deleted outside the portal${by}`;
  if (state === 'UNMANAGED') return `created outside the portal${by}`;
  const shown = paths.filter(Boolean).slice(0, 5);
  const more = paths.length > shown.length ? ` and ${paths.length - shown.length} more` : '';
  return shown.length ? `changed outside the portal${by} (${shown.join(', ')}${more})` : `recreated outside the portal${by}`;
}
