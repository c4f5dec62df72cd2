import { createApiToken, listApiTokens } from '@/lib/server/api-tokens/manage-api-tokens';
import { readJson, withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/tokens — the caller's tokens (never their secrets). */
export async function GET(request: Request) {
  return withApiActor(request, async (actor) => Response.json({ items: await listApiTokens(actor) }));
}

/** POST /api/v1/tokens { name, expiresInDays? } — the secret is in this response only. */
export async function POST(request: Request) {
  return withApiActor(request, async (actor) => Response.json(await createApiToken(actor, await readJson(request)), { status: 201 }));
}
