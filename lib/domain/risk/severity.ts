import { z } from 'zod';

/** Most severe first; the index is the rank used for sorting and thresholds. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const ZSeverity = z.enum(SEVERITIES);
export type TSeverity = z.infer<typeof ZSeverity>;

/** 0 for critical … 4 for info; 5 for "no finding". */
export function severityRank(s: TSeverity | 'none'): number {
  return s === 'none' ? SEVERITIES.length : SEVERITIES.indexOf(s);
}

/** The most severe of the given severities, or 'none' for an empty list. */
export function maxSeverity(severities: Iterable<TSeverity>): TSeverity | 'none' {
  let best: TSeverity | 'none' = 'none';
  for (const s of severities) if (severityRank(s) < severityRank(best)) best = s;
  return best;
}

/** Whether `s` is at least as severe as `threshold`. */
export function isAtLeast(s: TSeverity | 'none', threshold: TSeverity): boolean {
  return severityRank(s) <= severityRank(threshold);
}
