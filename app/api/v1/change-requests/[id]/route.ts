import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/change-requests/:id — the request with revisions, reviews, comments, approval state and timeline. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) => Response.json(await getChangeRequest(actor, (await params).id)));
}
