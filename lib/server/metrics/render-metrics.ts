import { Gauge } from 'prom-client';
import { db } from '../db/client';
import { metrics } from './registry';

// Apply latency: final approval → written to the cluster. Buckets in seconds.
const APPLY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

type TDbGauges = {
  requests: Gauge<'environment' | 'status'>;
  queueDepth: Gauge;
  oldestJob: Gauge;
  driftOpen: Gauge<'environment'>;
};
const g = globalThis as unknown as { ingressGateDbGauges?: TDbGauges };

function dbGauges(): TDbGauges {
  if (g.ingressGateDbGauges) return g.ingressGateDbGauges;
  const registers = [metrics().registry];
  g.ingressGateDbGauges = {
    requests: new Gauge({
      name: 'ingress_gate_change_requests',
      help: 'Change requests by environment and status.',
      labelNames: ['environment', 'status'] as const,
      registers,
    }),
    queueDepth: new Gauge({ name: 'ingress_gate_apply_queue_depth', help: 'Apply jobs waiting or running.', registers }),
    oldestJob: new Gauge({
      name: 'ingress_gate_apply_queue_oldest_job_age_seconds',
      help: 'Age of the oldest apply job still in the queue (0 when empty).',
      registers,
    }),
    driftOpen: new Gauge({
      name: 'ingress_gate_drift_records_open',
      help: 'Ingresses currently drifted from their last applied version, by environment.',
      labelNames: ['environment'] as const,
      registers,
    }),
  };
  return g.ingressGateDbGauges;
}

/**
 * The Prometheus text for /api/metrics. Database-backed figures are read at scrape time, so they
 * are the same whichever web replica is scraped and include what the worker process did:
 * requests by environment and status, queue depth and oldest job age, open drift records, and
 * the apply latency histogram (approval → applied) over every applied request, as cumulative
 * buckets. Per-process figures (HTTP durations by route, sign-in failures, process metrics) come
 * from prom-client's registry.
 */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const gauges = dbGauges();
  const client = db();
  const [requests, queue, drift, latency] = await Promise.all([
    client.$queryRawUnsafe<{ environment: string; status: string; n: bigint }[]>(
      `SELECT e.name AS environment, cr.status::text AS status, count(*) AS n
         FROM change_requests cr JOIN environments e ON e.id = cr.environment_id
        GROUP BY e.name, cr.status`,
    ),
    client.$queryRawUnsafe<{ depth: bigint; oldest: number | null }[]>(
      `SELECT count(*) AS depth, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest
         FROM graphile_worker._private_jobs WHERE attempts < max_attempts`,
    ),
    client.$queryRawUnsafe<{ environment: string; n: bigint }[]>(
      `SELECT e.name AS environment, count(d.id) AS n
         FROM environments e LEFT JOIN drift_records d ON d.environment_id = e.id AND d.state::text IN ('DRIFTED', 'DELETED')
        GROUP BY e.name`,
    ),
    client.$queryRawUnsafe<{ buckets: number[]; sum: number | null; count: bigint }[]>(
      `WITH lat AS (SELECT EXTRACT(EPOCH FROM applied_at - approved_at)::float8 AS s
                      FROM change_requests WHERE applied_at IS NOT NULL AND approved_at IS NOT NULL AND applied_at >= approved_at)
       SELECT ARRAY(SELECT (SELECT count(*) FROM lat WHERE s <= le)::int FROM unnest($1::float8[]) WITH ORDINALITY AS b(le, i) ORDER BY i) AS buckets,
              (SELECT sum(s) FROM lat) AS sum, (SELECT count(*) FROM lat) AS count`,
      APPLY_BUCKETS,
    ),
  ]);
  gauges.requests.reset();
  for (const row of requests) gauges.requests.set({ environment: row.environment, status: row.status }, Number(row.n));
  gauges.queueDepth.set(Number(queue[0]?.depth ?? 0));
  gauges.oldestJob.set(queue[0]?.oldest ?? 0);
  gauges.driftOpen.reset();
  for (const row of drift) gauges.driftOpen.set({ environment: row.environment }, Number(row.n));
  const registry = metrics().registry;
  return { contentType: registry.contentType, body: (await registry.metrics()) + applyLatencyHistogram(latency[0]!) };
}

// prom-client histograms are observed in-process; this one is computed from the database (the
// worker applies, the web process is scraped), so it is written out in the exposition format.
function applyLatencyHistogram(row: { buckets: number[]; sum: number | null; count: bigint }): string {
  const name = 'ingress_gate_apply_latency_seconds';
  const lines = [`# HELP ${name} Time from the final approval to the object written to the cluster.`, `# TYPE ${name} histogram`];
  APPLY_BUCKETS.forEach((le, i) => lines.push(`${name}_bucket{le="${le}"} ${row.buckets[i] ?? 0}`));
  lines.push(`${name}_bucket{le="+Inf"} ${Number(row.count)}`);
  lines.push(`${name}_sum ${row.sum ?? 0}`);
  lines.push(`${name}_count ${Number(row.count)}`);
  return lines.join('\n') + '\n';
}
