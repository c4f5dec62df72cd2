import { resolveCommentThread } from '@/lib/server/change-requests/resolve-comment-thread';
import { readJson, withApiActor } from '@/lib/web/api';

/** PUT /api/v1/change-requests/:id/comments/:commentId/resolution { resolved: true | false } — resolve or reopen a thread. */
export async function PUT(request: Request, { params }: { params: Promise<{ id: string; commentId: string }> }) {
  return withApiActor(request, async (actor) => {
    const { id, commentId } = await params;
    return Response.json(await resolveCommentThread(actor, id, commentId, await readJson(request)));
  });
}
