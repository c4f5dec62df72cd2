export const dynamic = 'force-dynamic';

/**
 * Liveness: the web process answers. It does not touch the database — restarting the pod would not
 * fix an unreachable database, and a liveness probe that fails on one would restart-loop it.
 */
export async function GET() {
  return Response.json({ status: 'alive', uptimeSeconds: Math.round(process.uptime()) }, { headers: { 'Cache-Control': 'no-store' } });
}
