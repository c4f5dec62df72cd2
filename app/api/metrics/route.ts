import { timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/server/env';
import { renderMetrics } from '@/lib/server/metrics/render-metrics';
import { errorResponse } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/**
 * Prometheus metrics. Protected: `Authorization: Bearer $METRICS_TOKEN`, or open to whoever can
 * reach it when METRICS_PUBLIC=1 (for installations where a NetworkPolicy restricts the port).
 * Neither set: 404, so nothing is exposed by default.
 */
export async function GET(request: Request) {
  const { METRICS_TOKEN, METRICS_PUBLIC } = env();
  if (!METRICS_TOKEN && METRICS_PUBLIC !== '1') {
    return Response.json(
      { error: { code: 'NOT_FOUND', message: 'Metrics are off: set METRICS_TOKEN (or METRICS_PUBLIC=1) to enable /api/metrics.' } },
      { status: 404 },
    );
  }
  if (METRICS_TOKEN && METRICS_PUBLIC !== '1') {
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(METRICS_TOKEN);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return Response.json(
        { error: { code: 'UNAUTHENTICATED', message: 'Send "Authorization: Bearer <METRICS_TOKEN>".' } },
        { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
      );
    }
  }
  try {
    const { contentType, body } = await renderMetrics();
    return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
