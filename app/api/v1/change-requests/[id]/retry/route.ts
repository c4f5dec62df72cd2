import { retryChangeRequest } from '@/lib/server/apply/retry-change-request';
import { withApiActor } from '@/lib/web/api';

/** POST /api/v1/change-requests/:id/retry — the requester or an approver: apply again a change that waits for,
 * or failed only because of, an unreachable cluster (no new approvals; every just-in-time check runs again). */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) => Response.json(await retryChangeRequest(actor, (await params).id)));
}
