import { z } from 'zod';
import { analyseChange, type TAnalysis } from '@/lib/domain/analysis/analyse-change';
import { CHANGE_ACTIONS, type TChangeAction } from '@/lib/domain/change/lifecycle';
import { readProposal as readIngressProposal, type TProposalSource as TIngressProposalSource } from '@/lib/domain/change/read-proposal';
import { revisionHash } from '@/lib/domain/change/revision-hash';
import { normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { Environment } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { AppError, type TFieldError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import type { TLiveIngress } from '../kube/kube-types';
import { isReturnToApprovedState } from '../history/return-to-approved-state';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const ZAction = z.enum(CHANGE_ACTIONS);
export type TAction = TChangeAction;

/** What a requester proposes: YAML text, the structured form, or (internally) a manifest. */
export type TProposalSource = TIngressProposalSource | null;

export type TPreparedRevision = {
  action: TAction;
  namespace: string;
  name: string;
  proposed: TIngress | null;
  base: TLiveIngress | null;
  baseResourceVersion: string | null;
  analysis: TAnalysis;
  contentHash: string;
};

function unprocessable(message: string, fieldErrors: TFieldError[]): AppError {
  return new AppError('UNPROCESSABLE', message, { fieldErrors });
}

/** The proposed Ingress (the same reader as the browser's live preview); a refusal is a 422 with every problem. */
function readProposal(action: TAction, namespace: string, source: TProposalSource): TIngress | null {
  if (action === 'delete') return null;
  if (!source)
    throw unprocessable('Provide the proposed Ingress as YAML or through the form.', [
      { path: 'yaml', message: 'required for create and update' },
    ]);
  const read = readIngressProposal(source, { namespace });
  if (!read.ok) throw unprocessable(read.message, read.issues);
  return read.ingress;
}

/**
 * Everything a revision needs, computed against the live cluster. Cases:
 * - bad namespace/name, bad YAML or form, invalid Ingress → 422 with each problem's path and line
 * - create of a name that exists → 409; update/delete of a missing one → 404
 * - policy violations → 422 listing each (they block submission); a rollback/restore to content
 *   applied here before (opts.kind) has its breaches as warnings instead (issue 12.3)
 * - the API server's dry run rejects it → 422 with its field causes
 * - cluster unreachable → 503 (nothing is stored by the caller)
 */
export async function prepareRevision(
  env: Environment,
  input: { action: TAction; namespace: string; name: string | null; source: TProposalSource },
  opts: { client?: KubeClient; kind?: 'CHANGE' | 'ROLLBACK' | 'RESTORE' | 'ADOPT' } = {},
): Promise<TPreparedRevision> {
  const { action, namespace } = input;
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) {
    throw unprocessable(`"${namespace}" is not a valid namespace name.`, [
      { path: 'namespace', message: 'must be a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters' },
    ]);
  }
  const proposed = readProposal(action, namespace, input.source);
  const name = proposed?.metadata.name ?? input.name ?? '';
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    throw unprocessable('Name the Ingress.', [
      { path: 'name', message: 'must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")' },
    ]);
  }
  if (input.name && proposed && input.name !== proposed.metadata.name) {
    throw unprocessable(`The manifest names "${proposed.metadata.name}" but the request is for "${input.name}".`, [
      { path: 'metadata.name', message: `must be ${input.name}` },
    ]);
  }
  const client = opts.client ?? clusterFor(env);
  const policy = ZPolicy.parse(env.policy ?? {});
  let base: TLiveIngress | null;
  let others: TLiveIngress[];
  let services: { name: string; ports: { name?: string; port: number }[] }[] | null = null;
  try {
    [base, others] = await Promise.all([client.getIngress(namespace, name), client.listAllIngresses().then((l) => l.items)]);
    services = await client
      .listServices(namespace)
      .then((l) =>
        l.items.map((s) => ({ name: s.metadata.name, ports: (s.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port })) })),
      )
      .catch(() => null);
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
  if (action === 'create' && base)
    throw new AppError('CONFLICT', `Ingress ${namespace}/${name} already exists in ${env.name}; propose an update instead.`);
  if (action !== 'create' && !base) throw new AppError('NOT_FOUND', `Ingress ${namespace}/${name} does not exist in ${env.name}.`);

  // The last version applied through the portal: a live object that differs from it is drift,
  // and the reviewer is told (the drift-detected finding).
  const lastApplied = await db().appliedVersion.findFirst({
    where: { environmentId: env.id, namespace, ingressName: name },
    orderBy: { appliedAt: 'desc' },
    select: { manifest: true },
  });
  const analysis = analyseChange({
    action,
    namespace,
    base,
    proposed,
    others,
    services,
    policy,
    lastApplied: (lastApplied?.manifest ?? null) as TIngress | null,
    isReturnToApprovedState: await isReturnToApprovedState(opts.kind, { environmentId: env.id, namespace, name }, proposed),
  });
  if (analysis.policy.violations.length) {
    throw unprocessable(
      `The change breaks ${env.name}'s policy: ${analysis.policy.violations.map((v) => v.message).join('; ')}`,
      analysis.policy.violations.map((v) => ({ path: v.path, message: v.message })),
    );
  }
  const baseResourceVersion = base?.metadata.resourceVersion ?? null;
  try {
    if (action === 'create') await client.dryRunCreate(proposed!);
    else if (action === 'update') await client.dryRunUpdate(proposed!, baseResourceVersion!);
    else await client.dryRunDelete(namespace, name, baseResourceVersion!);
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
  const normalised = proposed ? normaliseIngress(proposed) : null;
  return {
    action,
    namespace,
    name,
    proposed: normalised,
    base,
    baseResourceVersion,
    analysis,
    contentHash: revisionHash({ action, namespace, name, proposedHash: analysis.proposedHash, baseResourceVersion }),
  };
}
