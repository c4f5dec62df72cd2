import type { TActor } from '@/lib/domain/authz/permissions';
import { canonicalYaml } from '@/lib/domain/ingress/normalise-ingress';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { submitChangeRequest } from '../change-requests/submit-change-request';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import { findRecordToRemediate, linkRemediation } from './find-drift-record';
import { describeDrift } from './drift-details';

/**
 * "Adopt live state" (DRIFTED) and "Import" (UNMANAGED): a normal change request (kind ADOPT)
 * whose proposed manifest is the live object as it is now, so the out-of-band change is reviewed
 * and approved like any other; once applied, its AppliedVersion is the live state and the drift
 * resolves. Never pre-approved (auto-approval rules of the environment still apply, as for any
 * request). Cases: no drift.view → 404; no drift.remediate → 403; the submit permission
 * (requester) is checked by submitChangeRequest → 403; DELETED or IN_SYNC → 409 (nothing live
 * to adopt, or nothing to adopt); the Ingress vanished since detection → 409; a request from
 * this record still open → 409; everything submitChangeRequest refuses (policy, dry run).
 */
export async function adoptLiveState(
  actor: TActor | null,
  driftRecordId: string,
  opts: { justification?: string; client?: KubeClient; now?: Date } = {},
) {
  const { record, details } = await findRecordToRemediate(actor, driftRecordId);
  if (record.state !== 'DRIFTED' && record.state !== 'UNMANAGED') {
    throw new AppError(
      'CONFLICT',
      record.state === 'DELETED'
        ? `${record.namespace}/${record.ingressName} no longer exists; restore it or leave it deleted.`
        : `${record.namespace}/${record.ingressName} is in sync; there is nothing to adopt.`,
    );
  }
  const client = opts.client ?? clusterFor(record.environment);
  let live;
  try {
    live = await client.getIngress(record.namespace, record.ingressName);
  } catch (error) {
    throw kubeToAppError(error, record.environment.name);
  }
  if (!live)
    throw new AppError(
      'CONFLICT',
      `${record.namespace}/${record.ingressName} was deleted since the drift was detected; there is nothing to adopt.`,
    );
  const isImport = record.state === 'UNMANAGED';
  const what = describeDrift(record.state, details.fields?.map((f) => f.path) ?? [], details.managers ?? []);
  const title = `${isImport ? 'Import' : 'Adopt live state of'} ${record.namespace}/${record.ingressName}`.slice(0, 200);
  const justification =
    opts.justification?.trim() ||
    `${isImport ? 'Bring an Ingress created outside the portal under review' : 'Keep the out-of-band change as the approved state'}: ${what}. Detected ${record.detectedAt.toISOString()}.`;
  const request = await submitChangeRequest(
    actor,
    {
      environment: record.environmentId,
      namespace: record.namespace,
      name: record.ingressName,
      action: 'update',
      title,
      justification,
      yaml: canonicalYaml(live),
    },
    { kind: 'ADOPT', client, now: opts.now },
  );
  await linkRemediation(record.id, {
    kind: isImport ? 'IMPORT' : 'ADOPT',
    changeRequestId: request.id,
    number: request.number,
    requestedById: actor!.id,
    requestedAt: (opts.now ?? new Date()).toISOString(),
  });
  return request;
}
