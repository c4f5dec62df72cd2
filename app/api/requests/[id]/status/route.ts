import { getChangeRequestStatus } from '@/lib/server/change-requests/get-change-request-status';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/** The request page polls this while the worker runs and refreshes itself when it changes. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withApiActor(request, async (actor) =>
    Response.json(await getChangeRequestStatus(actor, id), { headers: { 'Cache-Control': 'no-store' } }),
  );
}
