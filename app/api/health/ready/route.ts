import { checkHealth } from '@/lib/server/health/check-health';

export const dynamic = 'force-dynamic';

/** Readiness, the same as /api/health (named for probes). */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
