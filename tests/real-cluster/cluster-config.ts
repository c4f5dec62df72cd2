import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Where the real-cluster tier gets its cluster, in order:
 * 1. INGRESS_GATE_TEST_KUBECONFIG: an admin kubeconfig of an existing disposable cluster (kind,
 *    k3d, …). It must be allowed to impersonate (cluster-admin is), since the tier acts as several
 *    people. kubectl comes from INGRESS_GATE_TEST_KUBECTL or PATH.
 * 2. INGRESS_GATE_TEST_CLUSTER_START: a shell command that starts one. It runs with KUBE_DIR (a
 *    fresh directory), KUBE_PORT and KUBE_ETCD_PORT set and must leave $KUBE_DIR/admin.kubeconfig;
 *    INGRESS_GATE_TEST_CLUSTER_STOP (same variables) stops it.
 * 3. The project's shared `start-cluster` (a real kube-apiserver + etcd in seconds), looked for at
 *    ../shared/kube/start-cluster beside the repository, then /work/shared/kube/start-cluster.
 * None of these (or INGRESS_GATE_TEST_CLUSTER=off) → the tier is skipped, saying "skipped: no cluster configured".
 * Ports: INGRESS_GATE_TEST_KUBE_PORT / INGRESS_GATE_TEST_ETCD_PORT, else free ones are picked, so
 * CI and several checkouts on one machine never collide.
 */
export type TClusterConfig =
  | { kind: 'none'; reason: string }
  | { kind: 'kubeconfig'; kubeconfig: string; kubectl: string }
  | { kind: 'start'; start: string; stop: string | null; kubectl: string | null };

export type TRunningCluster = {
  kubeconfig: string;
  kubectl: string;
  server: string;
  /** start-cluster's directory (logs, audit log, PID files) when we started it. */
  dir: string | null;
  /** The API server's audit log, when the tier can read it. */
  auditLog: string | null;
  /** Restarts only the API server (etcd keeps its data), when the cluster is one we started. */
  canRestart: boolean;
  startedByUs: boolean;
  env: Record<string, string>;
  start: string | null;
  stop: string | null;
};

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function clusterConfig(env: NodeJS.ProcessEnv = process.env): TClusterConfig {
  if (env.INGRESS_GATE_TEST_CLUSTER === 'off')
    return { kind: 'none', reason: 'skipped: no cluster configured (INGRESS_GATE_TEST_CLUSTER=off)' };
  if (env.INGRESS_GATE_TEST_KUBECONFIG) {
    return {
      kind: 'kubeconfig',
      kubeconfig: path.resolve(env.INGRESS_GATE_TEST_KUBECONFIG),
      kubectl: env.INGRESS_GATE_TEST_KUBECTL || 'kubectl',
    };
  }
  if (env.INGRESS_GATE_TEST_CLUSTER_START) {
    return {
      kind: 'start',
      start: env.INGRESS_GATE_TEST_CLUSTER_START,
      stop: env.INGRESS_GATE_TEST_CLUSTER_STOP || null,
      kubectl: env.INGRESS_GATE_TEST_KUBECTL || null,
    };
  }
  for (const candidate of [path.resolve(repoRoot, '../shared/kube/start-cluster'), '/work/shared/kube/start-cluster']) {
    if (existsSync(candidate)) {
      const stop = path.join(path.dirname(candidate), 'stop-cluster');
      return {
        kind: 'start',
        start: `${JSON.stringify(candidate)} "$KUBE_DIR" --port "$KUBE_PORT" --etcd-port "$KUBE_ETCD_PORT"`,
        stop: existsSync(stop) ? `${JSON.stringify(stop)} "$KUBE_DIR"` : null,
        kubectl: null,
      };
    }
  }
  return {
    kind: 'none',
    reason:
      'skipped: no cluster configured (set INGRESS_GATE_TEST_KUBECONFIG or INGRESS_GATE_TEST_CLUSTER_START; no ../shared/kube/start-cluster found)',
  };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port p such that p and every p+offset are free (etcd also takes its peer port, p+10). */
async function freePort(offsets: number[], from: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = from + Math.floor(Math.random() * 2000);
    if ((await Promise.all(offsets.map((o) => portFree(p + o)))).every(Boolean)) return p;
  }
  throw new Error('no free port for the test cluster');
}

export async function startCluster(config: Exclude<TClusterConfig, { kind: 'none' }>): Promise<TRunningCluster> {
  if (config.kind === 'kubeconfig') {
    const text = readFileSync(config.kubeconfig, 'utf8');
    const server = /server:\s*(\S+)/.exec(text)?.[1] ?? '';
    return {
      kubeconfig: config.kubeconfig,
      kubectl: config.kubectl,
      server,
      dir: null,
      auditLog: null,
      canRestart: false,
      startedByUs: false,
      env: {},
      start: null,
      stop: null,
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ingress-gate-real-cluster-'));
  const port = Number(process.env.INGRESS_GATE_TEST_KUBE_PORT) || (await freePort([0], 16400));
  const etcdPort = Number(process.env.INGRESS_GATE_TEST_ETCD_PORT) || (await freePort([0, 10], 26400));
  const env = { KUBE_DIR: dir, KUBE_PORT: String(port), KUBE_ETCD_PORT: String(etcdPort) };
  const { stdout } = await run('bash', ['-c', config.start], { env: { ...process.env, ...env }, timeout: 240_000 });
  const server = /KUBE_SERVER=(\S+)/.exec(stdout)?.[1] ?? `https://127.0.0.1:${port}`;
  const kubeconfig = path.join(dir, 'admin.kubeconfig');
  if (!existsSync(kubeconfig)) throw new Error(`the start command left no ${kubeconfig}`);
  const ownKubectl = path.join(dir, 'bin/kubectl');
  return {
    kubeconfig,
    kubectl: config.kubectl ?? (existsSync(ownKubectl) ? ownKubectl : 'kubectl'),
    server,
    dir,
    auditLog: existsSync(path.join(dir, 'log')) ? path.join(dir, 'log/audit.log') : null,
    canRestart: existsSync(path.join(dir, 'kube-apiserver.pid')),
    startedByUs: true,
    env,
    start: config.start,
    stop: config.stop,
  };
}

export async function stopCluster(cluster: TRunningCluster): Promise<void> {
  if (!cluster.startedByUs || !cluster.stop) return;
  await run('bash', ['-c', cluster.stop], { env: { ...process.env, ...cluster.env }, timeout: 60_000 }).catch(() => {});
  // Unpacked binaries and etcd data: a few hundred MB per run.
  if (cluster.dir) rmSync(cluster.dir, { recursive: true, force: true });
}
