import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startKubeApi, type TKubeApi } from './kube-api/server';
import { SANDBOX_SEED } from './sandbox-seed';

export type TSandboxCluster = {
  url: string;
  token: string;
  api: TKubeApi;
  seeded: boolean;
  /** The URL of named cluster `name` (each environment of the demo has its own: dev, staging, prod). */
  clusterUrl: (name: string) => string;
  stop: () => Promise<void>;
};

/**
 * Runs the Kubernetes API emulation as a local "sandbox" cluster for environments with no real
 * connection. Its state lives in `stateFile` (kept next to the embedded database's data), so
 * restarts keep what was applied; the seed is written only when that file does not exist yet.
 * The bearer token is fresh on every start: only the app process that started it learns it —
 * unless `token` is given (the e2e stack does, so specs can change live objects behind the app's back).
 * Besides the root cluster it serves named clusters under `/clusters/<name>` (a SANDBOX
 * environment names one in its connection), each seeded like the root on its first use and kept
 * in `<clustersDir>/<name>.json` — by default a `sandbox-clusters` directory beside `stateFile`.
 */
export async function startSandboxCluster(opts: {
  stateFile: string;
  port?: number;
  token?: string;
  clustersDir?: string;
}): Promise<TSandboxCluster> {
  const isFirstStart = !existsSync(opts.stateFile);
  const token = opts.token ?? `sandbox-${randomBytes(24).toString('base64url')}`;
  const api = await startKubeApi({
    port: opts.port ?? 0,
    stateFile: opts.stateFile,
    tokens: { [token]: { user: 'system:serviceaccount:ingress-gate:ingress-gate' } },
    clusters: { stateDir: opts.clustersDir ?? join(dirname(opts.stateFile), 'sandbox-clusters'), seed: SANDBOX_SEED },
  });
  if (isFirstStart) api.seed(SANDBOX_SEED);
  return { url: api.url, token, api, seeded: isFirstStart, clusterUrl: (name) => api.clusterUrl(name), stop: () => api.stop() };
}
