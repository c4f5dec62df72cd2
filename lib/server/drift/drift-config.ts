import { z } from 'zod';

/**
 * Drift detection settings, read once when the worker starts drift detection.
 * - INGRESS_GATE_DRIFT_MODE: `watch` (default; falls back to polling by itself when a cluster
 *   refuses watch), `poll`, or `off`
 * - INGRESS_GATE_DRIFT_POLL_SECONDS: polling interval (default 60, 5–86400)
 * - INGRESS_GATE_DRIFT_RESYNC_SECONDS: with watch, relist this often anyway (default 600)
 */
const ZDriftConfig = z.object({
  INGRESS_GATE_DRIFT_MODE: z.enum(['watch', 'poll', 'off']).default('watch'),
  INGRESS_GATE_DRIFT_POLL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  INGRESS_GATE_DRIFT_RESYNC_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
});

export type TDriftConfig = { mode: 'watch' | 'poll' | 'off'; pollIntervalMs: number; resyncMs: number };

export function driftConfig(source: Record<string, string | undefined> = process.env): TDriftConfig {
  const parsed = ZDriftConfig.safeParse(source);
  if (!parsed.success)
    throw new Error(`Invalid drift detection settings: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const c = parsed.data;
  return {
    mode: c.INGRESS_GATE_DRIFT_MODE,
    pollIntervalMs: c.INGRESS_GATE_DRIFT_POLL_SECONDS * 1000,
    resyncMs: c.INGRESS_GATE_DRIFT_RESYNC_SECONDS * 1000,
  };
}
