'use client';

import { Field, input, label } from '@/components/ui/field';
import type { TDraft, TEnvOption } from './new-request-form-state';
import { ReviewerGroupPicker } from './reviewer-group-picker';

/** "Why": title, justification, an optional "not before" and the reviewers the requester names. */
export function NewRequestWhy({
  draft,
  set,
  env,
  serverErrors,
}: {
  draft: TDraft;
  set: (patch: Partial<TDraft>) => void;
  env: TEnvOption | undefined;
  serverErrors: Map<string, string>;
}) {
  const chosen = draft.chosenReviewers;
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold">Why</legend>
      <Field id="nr-title" label="Title" error={serverErrors.get('title')}>
        {(c) => (
          <input {...c} className={input} value={draft.title} required onChange={(e) => set({ title: e.target.value })} maxLength={200} />
        )}
      </Field>
      <Field id="nr-why" label="Justification" error={serverErrors.get('justification')}>
        {(c) => (
          <textarea
            {...c}
            className={`${input} min-h-24`}
            value={draft.justification}
            required
            onChange={(e) => set({ justification: e.target.value })}
          />
        )}
      </Field>
      <Field
        id="nr-not-before"
        label="Not before (optional; your local time)"
        hint="Approvals still count; Ingress Gate applies it at this time or later, inside the environment's change window."
        error={serverErrors.get('notBefore')}
      >
        {(c) => (
          <input
            {...c}
            type="datetime-local"
            className={input}
            value={draft.notBefore}
            onChange={(e) => set({ notBefore: e.target.value })}
          />
        )}
      </Field>
      {env && env.reviewers.length > 0 && (
        <fieldset data-testid="chosen-reviewers-picker">
          <legend className={label}>Reviewers (optional)</legend>
          <p className="text-xs text-slate-600">
            Named reviewers are notified first and see it under “Needs my review”; any approver of {env.name} may still review.
          </p>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {env.reviewers.map((r) => (
              <label key={r.id} className="inline-flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  name="reviewers"
                  value={r.email}
                  checked={chosen.includes(r.email)}
                  onChange={(e) => set({ chosenReviewers: e.target.checked ? [...chosen, r.email] : chosen.filter((x) => x !== r.email) })}
                />
                {r.name} <span className="text-slate-500">({r.email})</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {env && (
        <ReviewerGroupPicker
          environmentName={env.name}
          groups={env.reviewerGroups}
          chosen={draft.chosenReviewerGroups}
          onChange={(next) => set({ chosenReviewerGroups: next })}
        />
      )}
    </fieldset>
  );
}
