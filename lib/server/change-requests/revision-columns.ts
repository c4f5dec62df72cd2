import type { TSeverity } from '@/lib/domain/risk/severity';
import type { Prisma, Severity } from '@/lib/generated/prisma/client';
import type { TPreparedRevision } from './prepare-revision';

/** A domain severity as the database column (enum Severity) spells it. */
export function severityColumn(severity: TSeverity | 'none'): Severity {
  return SEVERITY_COLUMN[severity];
}
const SEVERITY_COLUMN = {
  none: 'NONE',
  info: 'INFO',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
} as const satisfies Record<TSeverity | 'none', Severity>;

/** The revision columns of a prepared revision (number, author and time are the caller's). */
export function revisionData(prepared: TPreparedRevision) {
  return {
    proposedManifest: (prepared.proposed ?? undefined) as Prisma.InputJsonValue | undefined,
    proposedYaml: prepared.analysis.proposedYaml ?? '',
    contentHash: prepared.contentHash,
    baseManifest: (prepared.base ?? undefined) as Prisma.InputJsonValue | undefined,
    baseYaml: prepared.analysis.baseYaml ?? '',
    baseResourceVersion: prepared.baseResourceVersion,
    analysis: prepared.analysis as unknown as Prisma.InputJsonValue,
  };
}
