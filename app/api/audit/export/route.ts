import { exportAuditEvents } from '@/lib/server/audit/export-audit-events';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/**
 * GET /api/audit/export?format=csv|ndjson&from=…&to=…&environmentId=…&namespace=…&ingressName=…
 *   &actor=…&action=…&changeRequestId=…
 * Streams the filtered history (session or API token; auditors and admins only: 401/403 JSON
 * otherwise, before any byte of the export).
 */
export async function GET(request: Request): Promise<Response> {
  return withApiActor(request, async (actor) => {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const { format = 'csv', ...filter } = params;
    const exported = await exportAuditEvents(actor, filter, { format });
    return new Response(exported.stream, {
      headers: {
        'content-type': exported.contentType,
        'content-disposition': `attachment; filename="${exported.fileName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
