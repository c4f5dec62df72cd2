import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { withApiActor } from '@/lib/web/api';
import { readSubmission, SUBMISSION_CONTENT_TYPES } from '@/lib/web/read-submission';

export const dynamic = 'force-dynamic';

/** GET /api/v1/change-requests?view=&environment=&namespace=&status=&risk=&requester=&q=&cursor=&limit= */
export async function GET(request: Request) {
  return withApiActor(request, async (actor) => {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await listChangeRequests(actor, params));
  });
}

/**
 * POST /api/v1/change-requests
 * - JSON `{ environment, namespace, name?, action, title, justification, yaml | form }`
 * - `Content-Type: application/yaml` with the manifest as the body and the rest in the query
 *   string or `X-Change-*` headers
 * - `multipart/form-data` with the fields and a `manifest` file
 */
export async function POST(request: Request) {
  return withApiActor(
    request,
    async (actor) => {
      const created = await submitChangeRequest(actor, await readSubmission(request));
      return Response.json(created, { status: 201, headers: { Location: `/api/v1/change-requests/${created.id}` } });
    },
    // From a browser session (same origin only, as every cookie mutation): the types this route reads.
    { contentTypes: SUBMISSION_CONTENT_TYPES },
  );
}
