import type { KubeClient } from './kube-client';
import { toKubeError, type TKubeErrorKind } from './kube-error';
import { INGRESS_VERBS, type TIngressVerb } from './kube-types';

export type TConnectionReport = {
  reachable: boolean;
  serverVersion: string | null;
  permissions: Record<TIngressVerb, boolean>;
  error?: { kind: TKubeErrorKind; message: string };
};

function noPermissions(): Record<TIngressVerb, boolean> {
  return Object.fromEntries(INGRESS_VERBS.map((v) => [v, false])) as Record<TIngressVerb, boolean>;
}

/**
 * "Test connection" for an admin. Cases:
 * - /version fails → reachable false, the error (unreachable, timeout, tls, ...), no permissions.
 * - /version answers (it needs no credentials) but the access reviews fail → reachable true,
 *   the error (typically unauthorized: a bad token), no permissions.
 * - otherwise → one SelfSubjectAccessReview per verb on ingresses, cluster-wide or in `namespace`.
 * Never throws.
 */
export async function testConnection(client: KubeClient, opts: { namespace?: string | null } = {}): Promise<TConnectionReport> {
  let serverVersion: string;
  try {
    serverVersion = (await client.getServerVersion()).gitVersion;
  } catch (error) {
    const e = toKubeError(error);
    return { reachable: false, serverVersion: null, permissions: noPermissions(), error: { kind: e.kind, message: e.message } };
  }
  try {
    const answers = await Promise.all(INGRESS_VERBS.map(async (verb) => [verb, await client.canI(verb, opts.namespace)] as const));
    return { reachable: true, serverVersion, permissions: Object.fromEntries(answers) as Record<TIngressVerb, boolean> };
  } catch (error) {
    const e = toKubeError(error);
    return { reachable: true, serverVersion, permissions: noPermissions(), error: { kind: e.kind, message: e.message } };
  }
}
