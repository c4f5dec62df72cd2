import { formatTime } from '@/components/ui/format';
import type { TPromotionDraft } from '@/lib/server/promotion/prepare-promotion';

/** The evidence and the mapping of a promotion, above the pre-filled new-request form. */
export function PromotionDraftPanel({ draft }: { draft: TPromotionDraft }) {
  const { source, target, priorStage } = draft;
  return (
    <section
      aria-labelledby="promotion-title"
      className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
      data-testid="promotion-draft"
    >
      <h2 id="promotion-title" className="font-semibold">
        Promote {source.namespace}/{source.name} from {source.environment} to {target.environment}
      </h2>
      <p data-testid="promotion-evidence">
        Applied in {source.environment} {formatTime(source.appliedAt)}
        {source.appliedBy ? ` by ${source.appliedBy}` : ''}
        {source.changeRequestNumber !== null ? ` (#${source.changeRequestNumber})` : ''};{' '}
        {source.driftedAt
          ? `drifted there ${formatTime(source.driftedAt)}.`
          : source.failedAt
            ? `an apply failed there ${formatTime(source.failedAt)}.`
            : 'no drift or failure since.'}
      </p>
      <p>
        It becomes a {target.action} of {target.namespace}/{target.name} in {target.environment}; the diff below is against the live object
        there.
      </p>
      {draft.changes.length > 0 ? (
        <ul className="ml-4 list-disc" data-testid="promotion-mapping">
          {draft.changes.map((c) => (
            <li key={c.path}>
              <code>{c.path}</code>: <code>{c.from}</code> → <code>{c.to}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p>{target.environment} has no mapping rules that change this manifest.</p>
      )}
      {!priorStage.ok && (
        <p
          role="status"
          data-testid="promotion-prior-stage"
          className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-amber-950"
        >
          {priorStage.onMissing === 'refuse' ? 'Not accepted yet: ' : 'Needs one extra approval: '}
          {priorStage.reason}
        </p>
      )}
    </section>
  );
}
