import { overrideChangeWindow } from '@/lib/server/schedule/override-change-window';
import { readJson, withApiActor } from '@/lib/web/api';

/** POST /api/v1/change-requests/:id/window-override { reason } — admins: apply outside the change window. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) =>
    Response.json(await overrideChangeWindow(actor, (await params).id, await readJson(request))),
  );
}
