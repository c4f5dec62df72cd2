import { preparePromotion } from '@/lib/server/promotion/prepare-promotion';
import { withApiActor } from '@/lib/web/api';

/**
 * GET /api/v1/applied-versions/:id/promotion — the applied version mapped for the next stage
 * (target, YAML, mapped fields, evidence, prior-stage verdict); submit its `yaml` with
 * `promotedFrom: <id>` to POST /api/v1/change-requests.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withApiActor(request, async (actor) => Response.json(await preparePromotion(actor, (await params).id)));
}
