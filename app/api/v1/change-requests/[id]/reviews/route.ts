import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { readJson, withApiActor } from '@/lib/web/api';

/** POST /api/v1/change-requests/:id/reviews { decision: APPROVE | REJECT | REQUEST_CHANGES, revision, comment } */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) =>
    Response.json(await reviewChangeRequest(actor, (await params).id, await readJson(request)), { status: 201 }),
  );
}
