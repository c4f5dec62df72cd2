import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { readJson, withApiActor } from '@/lib/web/api';

/** GET /api/v1/change-requests/:id/comments — the request's comment threads (with `currentLine` / `isOutdated`). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) => Response.json({ threads: (await getChangeRequest(actor, (await params).id)).threads }));
}

/** POST /api/v1/change-requests/:id/comments { body, revision?, line?, side?, replyTo? } */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) =>
    Response.json(await commentOnChangeRequest(actor, (await params).id, await readJson(request)), { status: 201 }),
  );
}
