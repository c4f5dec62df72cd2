'use client';

import type { TAnalysisContext } from '@/lib/server/queries/analysis-context';
import { EnvironmentBadge } from '@/components/ui/badges';
import { ErrorNote } from '@/components/ui/error-note';
import { Field, input, label } from '@/components/ui/field';
import type { TAction, TDraft, TEnvOption } from './new-request-form-state';

const ACTIONS = ['create', 'update', 'delete'] as const;

/** "Where": environment, namespace, the kind of change and (update/delete) the live Ingress. */
export function NewRequestWhere({
  draft,
  set,
  environments,
  namespaces,
  context,
  contextError,
  isLoadingContext,
  serverErrors,
}: {
  draft: TDraft;
  /** Changes the draft; a change here also means the live manifest must be read again. */
  set: (patch: Partial<TDraft>) => void;
  environments: TEnvOption[];
  namespaces: string[];
  context: TAnalysisContext | null;
  contextError: string | null;
  isLoadingContext: boolean;
  serverErrors: Map<string, string>;
}) {
  const env = environments.find((e) => e.name === draft.environment);
  const { action, name } = draft;
  return (
    <fieldset className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3">
      <legend className="px-1 text-sm font-semibold">Where</legend>
      <Field
        id="nr-env"
        label="Environment"
        hint={
          env && (
            <span className="flex items-center gap-1">
              <EnvironmentBadge name={env.name} isProduction={env.isProduction} /> needs {env.requiredApprovals} approval
              {env.requiredApprovals === 1 ? '' : 's'}
            </span>
          )
        }
      >
        {(c) => (
          <select {...c} className={input} value={draft.environment} onChange={(e) => set({ environment: e.target.value })}>
            {environments.map((e) => (
              <option key={e.id} value={e.name}>
                {e.name}
                {e.isProduction ? ' (production)' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="nr-ns" label="Namespace" error={serverErrors.get('namespace')}>
        {(c) => (
          <>
            <input
              {...c}
              className={input}
              list="nr-namespaces"
              value={draft.namespace}
              onChange={(e) => set({ namespace: e.target.value.trim() })}
              placeholder="e.g. shop"
            />
            <datalist id="nr-namespaces">
              {namespaces.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <ActionRadios action={action} set={set} />
      {action !== 'create' && (
        <LiveIngressPicker action={action} name={name} context={context} set={set} error={serverErrors.get('name')} />
      )}
      {isLoadingContext && (
        <p role="status" className="text-xs text-slate-500 sm:col-span-3">
          Reading the cluster…
        </p>
      )}
      {contextError && (
        <div className="sm:col-span-3">
          <ErrorNote testId="context-error">{contextError}</ErrorNote>
        </div>
      )}
    </fieldset>
  );
}

/** Create, update or delete. */
function ActionRadios({ action, set }: { action: TAction; set: (patch: Partial<TDraft>) => void }) {
  return (
    <div>
      <span className={label} id="nr-action-label">
        Change
      </span>
      <div role="radiogroup" aria-labelledby="nr-action-label" className="mt-1 flex gap-3 text-sm">
        {ACTIONS.map((a: TAction) => (
          <label key={a} className="inline-flex items-center gap-1">
            <input
              type="radio"
              name="action"
              value={a}
              checked={action === a}
              onChange={() => set(a === 'create' ? { action: a, name: '' } : { action: a })}
            />
            {a.charAt(0).toUpperCase() + a.slice(1)}
          </label>
        ))}
      </div>
    </div>
  );
}

/** The live Ingress an update or delete starts from. */
function LiveIngressPicker({
  action,
  name,
  context,
  set,
  error,
}: {
  action: TAction;
  name: string;
  context: TAnalysisContext | null;
  set: (patch: Partial<TDraft>) => void;
  error: string | undefined;
}) {
  return (
    <Field id="nr-name" label={`Live Ingress to ${action}`} className="sm:col-span-3" error={error}>
      {(c) => (
        <select {...c} className={input} value={name} onChange={(e) => set({ name: e.target.value })} disabled={!context && !name}>
          <option value="">
            {context ? (context.names.length ? 'Choose an Ingress…' : 'No Ingresses in this namespace') : 'Choose a namespace first'}
          </option>
          {(context?.names ?? (name ? [name] : [])).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
