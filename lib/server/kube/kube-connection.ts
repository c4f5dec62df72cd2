import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { checkInlineKubeconfig } from '@/lib/domain/kube/inline-kubeconfig';
import { KubeError, redact } from './kube-error';

/**
 * How an environment reaches its cluster. The kinds match the Prisma enum ConnectionKind.
 * - SANDBOX: the local sandbox cluster the start script runs (URL and token known at runtime).
 * - KUBECONFIG_FILE: a kubeconfig on the server's disk (and optionally one of its contexts); the
 *   operator put it in INGRESS_GATE_KUBECONFIG_DIR, so it may use exec plugins (connectionForEnvironment
 *   resolves the stored file name inside that directory).
 * - KUBECONFIG_INLINE: a kubeconfig pasted by an admin, stored sealed (secret-box.ts); this is
 *   the opened text. Only data fields are accepted (checkInlineKubeconfig), here at every load.
 * - IN_CLUSTER: the pod's service account (/var/run/secrets/kubernetes.io/serviceaccount).
 */
export const ZKubeConnection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('SANDBOX'), server: z.url(), token: z.string().min(1) }),
  z.object({ kind: z.literal('KUBECONFIG_FILE'), path: z.string().min(1), context: z.string().min(1).nullish() }),
  z.object({ kind: z.literal('KUBECONFIG_INLINE'), kubeconfig: z.string().min(1), context: z.string().min(1).nullish() }),
  z.object({ kind: z.literal('IN_CLUSTER') }),
]);
export type TKubeConnection = z.infer<typeof ZKubeConnection>;

function configError(message: string, cause?: unknown): KubeError {
  return new KubeError('config', `The cluster connection is misconfigured: ${redact(message)}`, { cause });
}

function selectContext(kc: KubeConfig, context: string | null | undefined): void {
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw configError(`context "${context}" is not in the kubeconfig (it has: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw configError('the kubeconfig has no current context with a cluster; name a context');
}

/** Builds a KubeConfig for a connection. Throws KubeError('config') when it cannot. */
export function loadKubeConfig(connection: TKubeConnection): KubeConfig {
  const kc = new KubeConfig();
  try {
    switch (connection.kind) {
      case 'SANDBOX':
        kc.loadFromOptions({
          clusters: [
            // The sandbox listens on loopback only; it has no certificate worth verifying.
            { name: 'sandbox', server: connection.server, skipTLSVerify: true },
          ],
          users: [{ name: 'sandbox', token: connection.token }],
          contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'sandbox' }],
          currentContext: 'sandbox',
        });
        break;
      case 'KUBECONFIG_FILE':
        kc.loadFromFile(connection.path);
        break;
      case 'KUBECONFIG_INLINE': {
        // Checked before the library sees it: an exec plugin would run at the first request.
        const issues = checkInlineKubeconfig(connection.kubeconfig);
        if (issues.length) throw configError(`the pasted kubeconfig is refused: ${issues.map((i) => i.message).join('; ')}`);
        kc.loadFromString(connection.kubeconfig);
        break;
      }
      case 'IN_CLUSTER':
        kc.loadFromCluster();
        break;
    }
  } catch (error) {
    if (error instanceof KubeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // js-yaml errors quote the offending source lines, which may hold credentials; say less.
    const safe = /YAMLException|yaml/i.test(`${(error as Error)?.name} ${message}`) ? 'the kubeconfig is not valid YAML' : message;
    throw configError(
      connection.kind === 'KUBECONFIG_FILE' && /ENOENT/.test(message) ? `kubeconfig file ${connection.path} does not exist` : safe,
      error,
    );
  }
  if (connection.kind === 'KUBECONFIG_FILE' || connection.kind === 'KUBECONFIG_INLINE') selectContext(kc, connection.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw configError('the selected cluster has no server URL');
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw configError(
      `the server ${cluster.server} is plain http; use https, or set insecure-skip-tls-verify: true for a local test cluster`,
    );
  }
  return kc;
}

/** Server URL of a connection, for display (never credentials). */
export function connectionServer(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '';
}
