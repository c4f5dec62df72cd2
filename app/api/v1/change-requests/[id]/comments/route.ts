import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { readJson, withApiActor } from '@/lib/web/api';

/** POST /api/v1/change-requests/:id/comments { body, revision?, line?, side? } */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) =>
    Response.json(await commentOnChangeRequest(actor, (await params).id, await readJson(request)), { status: 201 }),
  );
}
