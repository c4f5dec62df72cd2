'use server';

import { cancelChangeRequest } from '@/lib/server/change-requests/cancel-change-request';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { rebaseChangeRequest, reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { previewRestore, previewRollback, restoreAppliedVersion, rollbackChangeRequest } from '@/lib/server/history/rollback';
import { getAnalysisContext } from '@/lib/server/queries/analysis-context';
import { listClusterNamespaces } from '@/lib/server/queries/list-cluster-namespaces';
import { getRouteContext } from '@/lib/server/queries/route-context';
import { authedAction } from '../action';

// Thin server actions: authenticate (authedAction) and hand the raw input to the lib/server
// operation, which validates it and checks the actor's permissions. Results are values:
// { ok: true, data } | { ok: false, code, message, fieldErrors }.

export async function submitChangeRequestAction(input: unknown) {
  return authedAction((actor) => submitChangeRequest(actor, input));
}

export async function reviseChangeRequestAction(id: string, input: unknown) {
  return authedAction((actor) => reviseChangeRequest(actor, id, input));
}

export async function rebaseChangeRequestAction(id: string) {
  return authedAction((actor) => rebaseChangeRequest(actor, id));
}

export async function cancelChangeRequestAction(id: string, reason: string) {
  return authedAction((actor) => cancelChangeRequest(actor, id, String(reason ?? '')));
}

export async function commentOnChangeRequestAction(id: string, input: unknown) {
  return authedAction((actor) => commentOnChangeRequest(actor, id, input));
}

export async function reviewChangeRequestAction(id: string, input: unknown) {
  return authedAction((actor) => reviewChangeRequest(actor, id, input));
}

export async function rollbackChangeRequestAction(id: string, reason: string) {
  return authedAction((actor) => rollbackChangeRequest(actor, id, { reason: String(reason ?? '') }));
}

export async function restoreAppliedVersionAction(appliedVersionId: string, reason: string) {
  return authedAction((actor) => restoreAppliedVersion(actor, appliedVersionId, { reason: String(reason ?? '') }));
}

export async function previewRestoreAction(appliedVersionId: string) {
  return authedAction((actor) => previewRestore(actor, appliedVersionId));
}

export async function previewRollbackAction(changeRequestId: string) {
  return authedAction((actor) => previewRollback(actor, String(changeRequestId ?? '')));
}

export async function analysisContextAction(input: { environment: string; namespace: string; name?: string | null }) {
  return authedAction((actor) => getAnalysisContext(actor, input));
}

export async function clusterNamespacesAction(environment: string) {
  return authedAction((actor) => listClusterNamespaces(actor, environment));
}

export async function routeContextAction(changeRequestId: string) {
  return authedAction((actor) => getRouteContext(actor, changeRequestId));
}
