import { revokeApiToken } from '@/lib/server/api-tokens/manage-api-tokens';
import { withApiActor } from '@/lib/web/api';

/** DELETE /api/v1/tokens/:id — revoke. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) => Response.json(await revokeApiToken(actor, (await params).id)));
}
