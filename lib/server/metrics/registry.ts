import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

// One registry per process, kept on globalThis: Next can evaluate a module more than once, and
// registering a metric name twice throws.
type TMetrics = { registry: Registry; httpDuration: Histogram<'method' | 'route' | 'status'>; signInFailures: Counter<'reason'> };
const g = globalThis as unknown as { ingressGateMetrics?: TMetrics };

export function metrics(): TMetrics {
  if (g.ingressGateMetrics) return g.ingressGateMetrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ingress_gate_process_' });
  const httpDuration = new Histogram({
    name: 'ingress_gate_http_request_duration_seconds',
    help: 'Duration of HTTP API requests by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const signInFailures = new Counter({
    name: 'ingress_gate_sign_in_failures_total',
    help: 'Failed sign-in attempts in this web process, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  g.ingressGateMetrics = { registry, httpDuration, signInFailures };
  return g.ingressGateMetrics;
}
