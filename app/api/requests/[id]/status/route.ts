import { getChangeRequestStatus } from '@/lib/server/change-requests/get-change-request-status';
import { getLiveRequestSummary } from '@/lib/server/live/get-live-request-summary';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/**
 * The request page polls this when it cannot hold a live stream (and once when the stream opens):
 * the fingerprint, plus the same live summary the stream pushes, so polling patches the page the same way.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withApiActor(request, async (actor) => {
    const status = await getChangeRequestStatus(actor, id);
    const summary = await getLiveRequestSummary(actor, id);
    return Response.json({ ...status, summary }, { headers: { 'Cache-Control': 'no-store' } });
  });
}
