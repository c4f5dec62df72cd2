import type { Metadata } from 'next';
import { NewRequestForm } from '@/components/requests/new-request-form';
import { PromotionDraftPanel } from '@/components/schedule/promotion-draft-panel';
import { EmptyState } from '@/components/ui/card';
import { ErrorNote } from '@/components/ui/error-note';
import { can } from '@/lib/domain/authz/permissions';
import { AppError } from '@/lib/server/errors';
import { preparePromotion, type TPromotionDraft } from '@/lib/server/promotion/prepare-promotion';
import { listEligibleReviewers } from '@/lib/server/queries/list-eligible-reviewers';
import { listReviewerGroupOptions } from '@/lib/server/reviewer-groups/list-reviewer-group-options';
import { listVisibleEnvironments } from '@/lib/server/queries/list-environments';
import { requireActor } from '@/lib/web/auth';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New request' };

type TSearch = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const actor = await requireActor('/requests/new');
  const sp = await searchParams;
  const environments = (await listVisibleEnvironments(actor)).filter(
    (e) => !e.disabledAt && can(actor, 'change-request.submit', { environmentId: e.id }),
  );
  // "Promote to <next>": the applied version mapped for the next stage, submitted as an ordinary request.
  const promote = one(sp.promote);
  let draft: TPromotionDraft | null = null;
  let draftError: string | null = null;
  if (promote) {
    try {
      draft = await preparePromotion(actor, promote);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      draftError = error.message;
    }
  }
  const initial = draft
    ? {
        environment: draft.target.environment,
        namespace: draft.target.namespace,
        action: draft.target.action,
        name: draft.target.name,
        yaml: draft.yaml,
        title: `Promote ${draft.source.namespace}/${draft.source.name} from ${draft.source.environment}`,
        justification: `Promotion of what runs in ${draft.source.environment}${draft.source.changeRequestNumber !== null ? ` (#${draft.source.changeRequestNumber})` : ''}, applied ${draft.source.appliedAt.toISOString()}.`,
        promotedFrom: draft.appliedVersionId,
      }
    : { environment: one(sp.environment), namespace: one(sp.namespace), action: one(sp.action), name: one(sp.name) };
  const [reviewers, reviewerGroups] = await Promise.all([
    listEligibleReviewers(
      actor,
      environments.map((e) => e.id),
    ),
    listReviewerGroupOptions(
      actor,
      environments.map((e) => e.id),
    ),
  ]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">New change request</h1>
        <p className="text-sm text-slate-600">
          Propose a create, update or delete of an Ingress. It is analysed as you type, reviewed by others, then applied by Ingress Gate.
        </p>
      </div>
      {draftError && <ErrorNote testId="promotion-error">{draftError}</ErrorNote>}
      {draft && <PromotionDraftPanel draft={draft} />}
      {environments.length === 0 ? (
        <EmptyState testId="no-environments">You are not a requester in any environment. Ask an admin for the requester role.</EmptyState>
      ) : (
        <NewRequestForm
          environments={environments.map((e) => ({
            id: e.id,
            name: e.name,
            isProduction: e.isProduction,
            requiredApprovals: e.requiredApprovals,
            description: e.description,
            reviewers: reviewers[e.id] ?? [],
            reviewerGroups: reviewerGroups[e.id] ?? [],
          }))}
          initial={initial}
        />
      )}
    </div>
  );
}
