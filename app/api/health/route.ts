import { checkHealth } from '@/lib/server/health/check-health';

export const dynamic = 'force-dynamic';

/**
 * Readiness (also at /api/health/ready): 200 when the database answers and a worker heartbeat is
 * fresh; 503 with `reason` otherwise, so a load balancer or readinessProbe stops sending traffic.
 * Liveness is /api/health/live (no database: a restart would not bring the database back).
 */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
