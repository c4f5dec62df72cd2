import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { TRunningCluster } from './cluster-config';

export type TKubectlResult = { code: number; stdout: string; stderr: string; ms: number };
export type TIdentity = { user: string; groups?: string[] };

/** Identities the tier acts as, by impersonation from the admin kubeconfig (works on any cluster). */
export const ALICE: TIdentity = { user: 'alice', groups: ['ig-test-ops'] }; // cluster-admin through a group
export const MASTERS: TIdentity = { user: 'root-admin', groups: ['system:masters'] };
/** The break-glass recipe of deploy/rbac-portal.yaml, exactly. */
export const BREAK_GLASS: TIdentity = { user: 'ingress-gate-break-glass', groups: ['ingress-gate:break-glass'] };

/** Runs kubectl against the tier's cluster as admin, or as `as` (impersonated). Never throws on a non-zero exit. */
export function kubectl(
  cluster: TRunningCluster,
  args: string[],
  opts: { as?: TIdentity; input?: string; kubeconfig?: string; timeoutMs?: number } = {},
): Promise<TKubectlResult> {
  const who = opts.as ? [`--as=${opts.as.user}`, ...(opts.as.groups ?? []).map((g) => `--as-group=${g}`)] : [];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = execFile(
      cluster.kubectl,
      ['--kubeconfig', opts.kubeconfig ?? cluster.kubeconfig, ...who, ...args],
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: performance.now() - started });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(cluster: TRunningCluster, args: string[], opts: Parameters<typeof kubectl>[2] = {}): Promise<string> {
  const r = await kubectl(cluster, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A kubeconfig for `token` on the admin kubeconfig's cluster (server and CA), written to a file. */
export function tokenKubeconfig(cluster: TRunningCluster, token: string, name = 'portal'): { path: string; text: string } {
  const admin = new KubeConfig();
  admin.loadFromFile(cluster.kubeconfig);
  const c = admin.getCurrentCluster()!;
  const caData = c.caData ?? (c.caFile ? readFileSync(c.caFile).toString('base64') : undefined);
  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'cluster',
        cluster: {
          server: c.server,
          ...(caData ? { 'certificate-authority-data': caData } : {}),
          ...(c.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: 'cluster', user: name } }],
    'current-context': name,
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ig-kubeconfig-')), `${name}.kubeconfig`);
  writeFileSync(file, text, { mode: 0o600 });
  return { path: file, text };
}

/** Waits until `fn` returns truthy (polling), or throws naming `what`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
