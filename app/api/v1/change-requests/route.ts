import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { readJson, withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/** GET /api/v1/change-requests?view=&environment=&namespace=&status=&risk=&requester=&q=&cursor=&limit= */
export async function GET(request: Request) {
  return withApiActor(request, async (actor) => {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await listChangeRequests(actor, params));
  });
}

/** POST /api/v1/change-requests { environment, namespace, name?, action, title, justification, yaml | form } */
export async function POST(request: Request) {
  return withApiActor(request, async (actor) => {
    const created = await submitChangeRequest(actor, await readJson(request));
    return Response.json(created, { status: 201, headers: { Location: `/api/v1/change-requests/${created.id}` } });
  });
}
