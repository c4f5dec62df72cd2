import type { KubeClient } from './kube-client';
import { type KubeError, toKubeError, type TKubeErrorKind } from './kube-error';

/** One permission the portal needs (deploy/rbac-portal.yaml), as the cluster answered it. */
export type TPermissionCheck = { group: string; resource: string; verb: string; namespace: string | null; allowed: boolean };

/** What identifies a cluster: kube-system's uid (created once per cluster) and the CA it is trusted by. */
export type TClusterIdentity = { kubeSystemUid: string | null; caFingerprint: string | null };

export type TConnectionReport = {
  /** True only when every check below passed: reachable, TLS as configured, authenticated, every permission. */
  ok: boolean;
  reachable: boolean;
  tls: { ok: boolean; detail: string };
  serverVersion: string | null;
  /** The user the cluster says the credentials belong to (SelfSubjectReview); null when unknown. */
  authenticatedAs: string | null;
  permissions: TPermissionCheck[];
  identity: TClusterIdentity | null;
  /** Why `ok` is false, one sentence each, for people. */
  problems: string[];
  error?: { kind: TKubeErrorKind; message: string };
};

/** What the portal needs, mirroring deploy/rbac-portal.yaml. Ingress writes may be granted per namespace. */
const READS = [
  { group: 'networking.k8s.io', resource: 'ingresses', verbs: ['get', 'list', 'watch'] },
  { group: 'networking.k8s.io', resource: 'ingressclasses', verbs: ['list'] },
  { group: '', resource: 'services', verbs: ['list'] },
  { group: '', resource: 'namespaces', verbs: ['list'] },
] as const;
const INGRESS_WRITES = ['create', 'update', 'delete'] as const;

/** Only what this side knows: a foreign server's body (or a proxy's page) is never repeated. */
function safeError(e: KubeError): { kind: TKubeErrorKind; message: string } {
  if (e.status === null) return { kind: e.kind, message: e.message };
  const reason = e.reason && /^[A-Za-z]{1,40}$/.test(e.reason) ? ` ${e.reason}` : '';
  const hint: Partial<Record<TKubeErrorKind, string>> = {
    unauthorized: 'the token or client certificate is missing, expired or revoked',
    forbidden: 'the identity is not allowed to do this',
    'not-found': 'this is not a Kubernetes API server, or the path is behind a proxy',
    'server-error': 'the server failed',
  };
  return { kind: e.kind, message: `The server answered HTTP ${e.status}${reason}${hint[e.kind] ? `: ${hint[e.kind]}` : ''}.` };
}

/** A version string is shown only when it looks like one (it comes from the server). */
function safeVersion(v: unknown): string | null {
  return typeof v === 'string' && /^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.+-]{0,60})?$/.test(v) ? v : null;
}

function tlsFor(client: KubeClient, error: KubeError | null): { ok: boolean; detail: string } {
  if (error?.kind === 'tls') return { ok: false, detail: 'the server certificate was not accepted' };
  switch (client.tlsMode()) {
    case 'verified':
      return error && error.status === null
        ? { ok: false, detail: 'not checked: no answer' }
        : { ok: true, detail: 'certificate verified' };
    case 'skip-verify':
      return { ok: true, detail: 'not verified (insecure-skip-tls-verify)' };
    case 'http':
      return { ok: true, detail: 'plain http (local sandbox)' };
  }
}

/**
 * "Test connection". Cases:
 * - /version fails without an HTTP answer → not reachable; TLS failures say so; nothing else is tried
 * - /version answers with an HTTP error, or something that is not a version → reachable, error from
 *   the status code only (a foreign server's body is never echoed: no SSRF probe through this)
 * - SelfSubjectReview 401 → not authenticated, stop; 404 (servers before 1.28) → authenticatedAs null
 * - identity: kube-system's uid (null when it may not be read) and the CA fingerprint
 * - one SelfSubjectAccessReview per needed permission; Ingress writes cluster-wide, or in each of
 *   `writeNamespaces` when the environment names its namespaces
 * - `ok` only when everything holds: a connection whose every permission is ✗ is never green
 * Never throws.
 */
export async function testConnection(client: KubeClient, opts: { writeNamespaces?: string[] } = {}): Promise<TConnectionReport> {
  const problems: string[] = [];
  const report = (r: Omit<TConnectionReport, 'ok' | 'problems'>): TConnectionReport => ({ ...r, ok: problems.length === 0, problems });
  let serverVersion: string | null;
  try {
    serverVersion = safeVersion((await client.getServerVersion()).gitVersion);
  } catch (error) {
    const e = toKubeError(error);
    const reachable = e.status !== null;
    problems.push(reachable ? 'The server did not answer like a Kubernetes API server.' : 'The API server could not be reached.');
    return report({
      reachable,
      tls: tlsFor(client, e),
      serverVersion: null,
      authenticatedAs: null,
      permissions: [],
      identity: null,
      error: safeError(e),
    });
  }
  const tls = tlsFor(client, null);
  if (!serverVersion) problems.push('The server did not report a Kubernetes version.');
  let authenticatedAs: string | null = null;
  try {
    authenticatedAs = (await client.whoAmI()).username || null;
  } catch (error) {
    const e = toKubeError(error);
    if (e.kind !== 'not-found') {
      problems.push(
        e.kind === 'unauthorized' ? 'The cluster rejected the credentials.' : 'Who the credentials belong to could not be checked.',
      );
      return report({ reachable: true, tls, serverVersion, authenticatedAs: null, permissions: [], identity: null, error: safeError(e) });
    }
  }
  let kubeSystemUid: string | null = null;
  try {
    kubeSystemUid = await client.getNamespaceUid('kube-system');
  } catch {
    // Without get on namespaces the uid stays unknown; the permission check below says so.
  }
  const wanted: Omit<TPermissionCheck, 'allowed'>[] = [
    ...READS.flatMap((r) => r.verbs.map((verb) => ({ group: r.group, resource: r.resource, verb, namespace: null }))),
    ...(opts.writeNamespaces?.length ? opts.writeNamespaces : [null]).flatMap((namespace) =>
      INGRESS_WRITES.map((verb) => ({ group: 'networking.k8s.io', resource: 'ingresses', verb, namespace })),
    ),
  ];
  let permissions: TPermissionCheck[];
  try {
    permissions = await Promise.all(wanted.map(async (w) => ({ ...w, allowed: await client.canDo(w) })));
  } catch (error) {
    const e = toKubeError(error);
    problems.push('The permission checks (SelfSubjectAccessReview) failed.');
    return report({
      reachable: true,
      tls,
      serverVersion,
      authenticatedAs,
      permissions: [],
      identity: { kubeSystemUid, caFingerprint: client.caFingerprint() },
      error: safeError(e),
    });
  }
  const denied = permissions.filter((p) => !p.allowed);
  if (denied.length)
    problems.push(
      `Missing permissions (see deploy/rbac-portal.yaml): ${denied
        .map((p) => `${p.verb} ${p.resource}${p.namespace ? ` in ${p.namespace}` : ''}`)
        .join(', ')}.`,
    );
  return report({
    reachable: true,
    tls,
    serverVersion,
    authenticatedAs,
    permissions,
    identity: { kubeSystemUid, caFingerprint: client.caFingerprint() },
  });
}
