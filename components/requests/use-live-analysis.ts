'use client';

import type { TChangeAction } from '@/lib/domain/change/lifecycle';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { analyseChange, type TAnalysis } from '@/lib/domain/analysis/analyse-change';
import type { TLineMap } from '@/lib/domain/ingress/canonical-yaml';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { TAnalysisContext } from '@/lib/server/queries/analysis-context';
import { analysisContextAction } from '@/lib/web/actions/change-request-actions';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** How long typing in the namespace must pause before the cluster is asked. */
export const CONTEXT_DEBOUNCE_MS = 250;

export type TLiveAnalysisInput = {
  environment: string;
  namespace: string;
  action: TChangeAction;
  /** The live Ingress an update or delete starts from; null for a create or before one is picked. */
  name: string | null;
  /** The proposed Ingress as read so far (null for a delete, or while it does not read). */
  proposed: TIngress | null;
  /** Where each field was typed (YAML), so findings point at typed lines. */
  proposedSourceLines?: TLineMap | null;
};

export type TLiveAnalysis = {
  /** What the cluster and policy say, for the chosen environment + namespace (+ name). */
  context: TAnalysisContext | null;
  contextError: string | null;
  isLoadingContext: boolean;
  /** analyseChange run in the browser exactly as the server runs it at submission; null until it can run. */
  analysis: TAnalysis | null;
  /** The namespace the context and analysis are for (it lags typing). */
  namespace: string;
};

/**
 * Live analysis for the new-request and revise forms: reads the cluster context once per
 * environment + namespace (+ name), debounced and never applying a stale answer, then runs the
 * same analyseChange the server runs, on every change of the proposal.
 */
export function useLiveAnalysis(input: TLiveAnalysisInput): TLiveAnalysis {
  const { environment, action, name, proposed, proposedSourceLines } = input;
  const namespace = useDeferredValue(input.namespace);
  const [context, setContext] = useState<TAnalysisContext | null>(null);
  const [contextError, setContextError] = useState<string | null>(null);
  const [isLoadingContext, setLoadingContext] = useState(false);

  useEffect(() => {
    if (!environment || !DNS1123_LABEL.test(namespace)) {
      setContext(null);
      setLoadingContext(false);
      return;
    }
    let isCurrent = true;
    setLoadingContext(true);
    const timer = setTimeout(() => {
      void analysisContextAction({ environment, namespace, name }).then((r) => {
        if (!isCurrent) return;
        setLoadingContext(false);
        setContext(r.ok ? r.data : null);
        setContextError(r.ok ? null : r.message);
      });
    }, CONTEXT_DEBOUNCE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [environment, namespace, name]);

  const analysis = useMemo(() => {
    if (!context || context.namespace !== namespace) return null;
    if (action !== 'delete' && !proposed) return null;
    if (action !== 'create' && !context.base) return null;
    try {
      return analyseChange({
        action,
        namespace: context.namespace,
        base: action === 'create' ? null : context.base,
        proposed,
        others: context.others,
        services: context.services,
        policy: context.policy,
        lastApplied: context.lastApplied,
        proposedSourceLines: proposedSourceLines ?? null,
      });
    } catch {
      return null;
    }
  }, [context, namespace, action, proposed, proposedSourceLines]);

  return { context, contextError, isLoadingContext, analysis, namespace };
}
