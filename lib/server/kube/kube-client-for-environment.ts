import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { createKubeClient, type KubeClient, type TKubeClientOptions } from './kube-client';
import { KubeError } from './kube-error';
import type { TKubeConnection } from './kube-connection';
import { openSecret } from './secret-box';

/** The connection columns of an Environment row (Prisma model Environment). */
export type TEnvironmentConnectionRow = {
  id: string;
  connectionKind: 'SANDBOX' | 'KUBECONFIG_FILE' | 'KUBECONFIG_INLINE' | 'IN_CLUSTER';
  kubeconfigPath: string | null;
  kubeContext: string | null;
  kubeconfigSealed: string | null;
};

export type TKubeEnv = {
  INGRESS_GATE_SECRET_KEY?: string;
  /** Set by the start script when it runs the sandbox cluster. */
  INGRESS_GATE_SANDBOX_URL?: string;
  INGRESS_GATE_SANDBOX_TOKEN?: string;
  /** The only directory kubeconfig files are read from (set by the operator, never from the UI). */
  INGRESS_GATE_KUBECONFIG_DIR?: string;
};

/** A sandbox cluster's name as stored in a SANDBOX environment's context: a DNS label. */
export function isSandboxClusterName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name);
}

/** A kubeconfig file name as stored: one plain name inside the directory, no path. */
export function isKubeconfigFileName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/.test(name);
}

/**
 * The absolute path of kubeconfig file `name` inside INGRESS_GATE_KUBECONFIG_DIR. Cases: no
 * directory configured → config error; a name that is a path (slash, `..`, absolute, as stored
 * before this rule) → config error; a symlink that leads out of the directory → config error.
 * A missing file is left to the loader (its message names only the name).
 */
export function resolveKubeconfigFile(name: string, source: TKubeEnv): string {
  const dir = source.INGRESS_GATE_KUBECONFIG_DIR;
  if (!dir) throw new KubeError('config', 'Kubeconfig files are turned off: the operator has not set INGRESS_GATE_KUBECONFIG_DIR.');
  if (!isKubeconfigFileName(name))
    throw new KubeError(
      'config',
      `The kubeconfig file must be a file name inside INGRESS_GATE_KUBECONFIG_DIR, not a path; choose the file again.`,
    );
  const path = join(dir, name);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new KubeError('config', `The kubeconfig file "${name}" is not in INGRESS_GATE_KUBECONFIG_DIR.`);
  }
  const rel = relative(realpathSync(dir), real);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new KubeError('config', `The kubeconfig file "${name}" leads outside INGRESS_GATE_KUBECONFIG_DIR.`);
  return real;
}

/**
 * Turns an Environment's stored connection into a TKubeConnection. This is the only place in
 * lib/server/kube that reads process.env (through the `source` default): the secret key that
 * opens sealed kubeconfigs, and the sandbox URL/token the start script publishes. The sealed
 * kubeconfig is bound to the environment id (secret-box context).
 */
export function connectionForEnvironment(row: TEnvironmentConnectionRow, source: TKubeEnv = process.env as TKubeEnv): TKubeConnection {
  switch (row.connectionKind) {
    case 'SANDBOX': {
      const server = source.INGRESS_GATE_SANDBOX_URL;
      const token = source.INGRESS_GATE_SANDBOX_TOKEN;
      if (!server || !token)
        throw new KubeError(
          'config',
          'The sandbox cluster is not running (INGRESS_GATE_SANDBOX_URL / INGRESS_GATE_SANDBOX_TOKEN are not set); start the app with `npm start`.',
        );
      // A SANDBOX environment may name its own sandbox cluster (stored as the context): the
      // sandbox serves each under /clusters/<name>, with its own identity and objects.
      const cluster = row.kubeContext;
      if (cluster && !isSandboxClusterName(cluster))
        throw new KubeError('config', `The sandbox cluster name "${cluster}" is not a DNS label (a-z, 0-9, "-", at most 63).`);
      return { kind: 'SANDBOX', server: cluster ? `${server.replace(/\/+$/, '')}/clusters/${cluster}` : server, token };
    }
    case 'KUBECONFIG_FILE':
      if (!row.kubeconfigPath) throw new KubeError('config', 'The environment uses a kubeconfig file but no path is configured.');
      return { kind: 'KUBECONFIG_FILE', path: resolveKubeconfigFile(row.kubeconfigPath, source), context: row.kubeContext };
    case 'KUBECONFIG_INLINE': {
      if (!row.kubeconfigSealed) throw new KubeError('config', 'The environment uses an inline kubeconfig but none is stored.');
      const key = source.INGRESS_GATE_SECRET_KEY;
      if (!key) throw new KubeError('config', 'INGRESS_GATE_SECRET_KEY is not set; the stored kubeconfig cannot be opened.');
      try {
        return { kind: 'KUBECONFIG_INLINE', kubeconfig: openSecret(row.kubeconfigSealed, key, row.id), context: row.kubeContext };
      } catch (error) {
        throw new KubeError(
          'config',
          'The stored kubeconfig cannot be opened (wrong INGRESS_GATE_SECRET_KEY, or the value was altered); paste it again.',
          { cause: error },
        );
      }
    }
    case 'IN_CLUSTER':
      return { kind: 'IN_CLUSTER' };
  }
}

export function kubeClientForEnvironment(row: TEnvironmentConnectionRow, opts: TKubeClientOptions = {}, source?: TKubeEnv): KubeClient {
  return createKubeClient(connectionForEnvironment(row, source), opts);
}
