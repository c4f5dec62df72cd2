import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/**
 * A small fingerprint of a request for the request page's polling while the worker runs:
 * the page refreshes itself when it changes. Same visibility rules as the page (404 when hidden).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withApiActor(request, async (actor) => {
    const cr = await getChangeRequest(actor, id);
    const last = cr.timeline.at(-1);
    return Response.json(
      { status: cr.status, currentRevision: cr.currentRevision, events: cr.timeline.length, lastEvent: last?.seq ?? null, nextAttemptAt: cr.nextAttemptAt },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  });
}
