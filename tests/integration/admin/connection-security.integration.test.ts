import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKubeApi, startFakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import type { TActor } from '@/lib/domain/authz/permissions';
import { createEnvironment as createEnvironmentOp } from '@/lib/server/admin/create-environment';
import { testEnvironmentConnection } from '@/lib/server/admin/test-environment-connection';
import { updateEnvironment } from '@/lib/server/admin/update-environment';
import { loadActor } from '@/lib/server/auth/load-actor';
import { createKubeClient } from '@/lib/server/kube/kube-client';
import { sealSecret } from '@/lib/server/kube/secret-box';
import { testConnection } from '@/lib/server/kube/test-connection';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from '../helpers';

// Issue 11 item 1 (and issue 12 item 5): a pasted kubeconfig cannot run commands or read files on
// the server, kubeconfig files come only from the operator's directory and only global admins
// choose them, "Test connection" never echoes a foreign server and is green only when every
// permission holds, and the cluster identity it reveals is recorded.

const KUBECONFIG_DIR = mkdtempSync(join(tmpdir(), 'ig-kubeconfigs-'));
process.env.INGRESS_GATE_KUBECONFIG_DIR = KUBECONFIG_DIR;
const MARKER_DIR = mkdtempSync(join(tmpdir(), 'ig-exec-marker-'));
const MARKER = join(MARKER_DIR, 'pwned');

let fake: FakeKubeApi;
let readOnly: FakeKubeApi;
beforeAll(async () => {
  fake = await startFakeKubeApi();
  readOnly = await startFakeKubeApi({ tokens: { none: { user: 'nobody', allow: () => false } } });
});
afterAll(async () => {
  await fake.stop();
  await readOnly.stop();
  rmSync(KUBECONFIG_DIR, { recursive: true, force: true });
  rmSync(MARKER_DIR, { recursive: true, force: true });
});
beforeEach(resetDb);

async function actorWith(email: string, roles: Parameters<typeof createUser>[1]['roles']): Promise<TActor> {
  const user = await createUser(db(), { email, roles });
  return (await loadActor(user.id))!;
}

function settings(over: Record<string, unknown> = {}) {
  return {
    description: '',
    isProduction: false,
    requiredApprovals: 1,
    requestExpiryHours: 168,
    rollbackPreApproved: false,
    autoApproveEnabled: false,
    policy: {},
    connection: { kind: 'SANDBOX' },
    ...over,
  };
}

/** The sandbox fake's kubeconfig with its user swapped for an exec plugin that touches MARKER. */
function execKubeconfig(): string {
  return fake
    .kubeconfig()
    .replace(
      /user:\n\s+token: .*/,
      `user:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: /bin/sh\n        args: ["-c", "touch ${MARKER}; echo '{}'"]`,
    );
}

describe('inline kubeconfig: data only', () => {
  it('an exec kubeconfig is refused at save, naming the field; nothing is stored and nothing runs', async () => {
    expect(execKubeconfig()).toContain('exec:');
    const dev = await createEnvironment(db(), { name: 'dev' });
    const admin = await actorWith('envadmin@example.com', ['APPROVER', { role: 'ADMIN', environment: 'dev' }]);
    const error = await updateEnvironment(
      admin,
      dev.id,
      settings({ connection: { kind: 'KUBECONFIG_INLINE', kubeconfig: execKubeconfig() } }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNPROCESSABLE', fieldErrors: [{ path: 'connection.kubeconfig' }] });
    expect((error as { fieldErrors: { message: string }[] }).fieldErrors[0]!.message).toMatch(
      /users\[0\]\.user\.exec is not allowed: it runs a command on the portal server/,
    );
    const row = await db().environment.findUniqueOrThrow({ where: { id: dev.id } });
    expect(row.connectionKind).toBe('SANDBOX');
    expect(row.kubeconfigSealed).toBeNull();
    expect(existsSync(MARKER)).toBe(false);
  });

  it('an exec kubeconfig stored around the check (sealed straight into the row) is refused at use: Test connection runs nothing', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const dev = await createEnvironment(db(), { name: 'dev' });
    await db().environment.update({
      where: { id: dev.id },
      data: {
        connectionKind: 'KUBECONFIG_INLINE',
        kubeconfigSealed: sealSecret(execKubeconfig(), process.env.INGRESS_GATE_SECRET_KEY!, dev.id),
      },
    });
    const report = await testEnvironmentConnection(admin, dev.id);
    expect(report).toMatchObject({ ok: false, reachable: false, error: { kind: 'config' } });
    expect(report.error?.message).toMatch(/users\[0\]\.user\.exec is not allowed/);
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(MARKER)).toBe(false);
    expect(fake.requests().some((r) => r.path.startsWith('/apis/authorization'))).toBe(false);
  });

  it.each([
    ['tokenFile', (k: string) => k.replace(/token: .*/, 'tokenFile: /etc/hostname'), 'users[0].user.tokenFile'],
    ['auth-provider', (k: string) => k.replace(/token: .*/, 'auth-provider: {name: oidc}'), 'users[0].user.auth-provider'],
    [
      'CA file',
      (k: string) => k.replace('insecure-skip-tls-verify: true', 'certificate-authority: /etc/ssl/certs/ca-certificates.crt'),
      'clusters[0].cluster.certificate-authority',
    ],
  ])('%s is refused, naming the field', async (_name, edit, path) => {
    const admin = await actorWith('admin@example.com', ['ADMIN', 'APPROVER']);
    const dev = await createEnvironment(db(), { name: 'dev' });
    const error = await updateEnvironment(
      admin,
      dev.id,
      settings({ connection: { kind: 'KUBECONFIG_INLINE', kubeconfig: edit(fake.kubeconfig()) } }),
    ).then(
      () => ({ fieldErrors: [] as { message: string }[] }),
      (e: { fieldErrors: { message: string }[] }) => e,
    );
    expect(error.fieldErrors[0]?.message).toContain(`${path} is not allowed`);
  });
});

describe('kubeconfig files: only from INGRESS_GATE_KUBECONFIG_DIR, only global admins', () => {
  it('a path typed in the UI is refused without saying whether it exists; a scoped admin cannot choose files at all', async () => {
    const dev = await createEnvironment(db(), { name: 'dev' });
    const admin = await actorWith('admin@example.com', ['ADMIN', 'APPROVER']);
    const devAdmin = await actorWith('devadmin@example.com', [{ role: 'ADMIN', environment: 'dev' }]);
    writeFileSync(join(KUBECONFIG_DIR, 'staging.yaml'), fake.kubeconfig());
    type TRefusal = { code: string; fieldErrors: { path: string; message: string }[] };
    const refusal = (path: string) =>
      updateEnvironment(admin, dev.id, settings({ connection: { kind: 'KUBECONFIG_FILE', path } })).then(
        () => ({ code: 'saved', fieldErrors: [] }) as TRefusal,
        (e: TRefusal) => e,
      );
    const existing = await refusal('/etc/passwd');
    const missing = await refusal('/etc/no-such-file');
    expect(existing).toMatchObject({ code: 'UNPROCESSABLE', fieldErrors: [{ path: 'connection.path' }] });
    // Same answer for a file that exists and one that does not: no probing.
    expect(existing.fieldErrors[0]!.message).toBe(missing.fieldErrors[0]!.message);
    expect(existing.fieldErrors[0]!.message).toBe('Choose one of the kubeconfig files in INGRESS_GATE_KUBECONFIG_DIR: staging.yaml.');
    await expect(
      updateEnvironment(devAdmin, dev.id, settings({ connection: { kind: 'KUBECONFIG_FILE', path: 'staging.yaml' } })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', fieldErrors: [{ path: 'connection.kind' }] });
    await expect(updateEnvironment(devAdmin, dev.id, settings({ connection: { kind: 'IN_CLUSTER' } }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await db().environment.findUniqueOrThrow({ where: { id: dev.id } })).connectionKind).toBe('SANDBOX');
    // A file from the directory, chosen by a global admin, works (and may use what operators use).
    await updateEnvironment(admin, dev.id, settings({ connection: { kind: 'KUBECONFIG_FILE', path: 'staging.yaml' } }));
    const report = await testEnvironmentConnection(admin, dev.id);
    expect(report).toMatchObject({ ok: true, reachable: true, authenticatedAs: 'ingress-gate' });
    // A path stored before this rule (or written into the row directly) is refused at use.
    await db().environment.update({ where: { id: dev.id }, data: { kubeconfigPath: join(KUBECONFIG_DIR, 'staging.yaml') } });
    expect((await testEnvironmentConnection(admin, dev.id)).error?.message).toMatch(
      /file name inside INGRESS_GATE_KUBECONFIG_DIR, not a path/,
    );
  });
});

describe('Test connection: structured, never echoes a foreign server, green only when everything holds', () => {
  it('full rights on the emulator → ok, who we are, every needed permission ✓, identity recorded', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN', 'APPROVER']);
    const { id } = await createEnvironmentOp(admin, {
      name: 'dev',
      ...settings({ connection: { kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() } }),
    });
    const report = await testEnvironmentConnection(admin, id);
    expect(report).toMatchObject({
      ok: true,
      reachable: true,
      tls: { ok: true },
      serverVersion: 'v1.31.4',
      authenticatedAs: 'ingress-gate',
      problems: [],
    });
    expect(report.permissions.map((p) => `${p.verb} ${p.resource}`).sort()).toEqual(
      [
        'create ingresses',
        'delete ingresses',
        'get ingresses',
        'list ingressclasses',
        'list ingresses',
        'list namespaces',
        'list services',
        'update ingresses',
        'watch ingresses',
      ].sort(),
    );
    const uid = fake.peek('namespaces', null, 'kube-system')!.metadata.uid;
    expect(report.identity).toEqual({ kubeSystemUid: uid, caFingerprint: null });
    expect(await db().environment.findUniqueOrThrow({ where: { id } })).toMatchObject({ clusterUid: uid });
  });

  it('an identity without any Ingress right → not ok, every permission ✗, the missing ones named (issue 12 item 5)', async () => {
    const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: readOnly.kubeconfig() }));
    expect(report.ok).toBe(false);
    expect(report.reachable).toBe(true);
    expect(report.authenticatedAs).toBe('nobody');
    expect(report.permissions.length).toBe(9);
    expect(report.permissions.every((p) => !p.allowed)).toBe(true);
    expect(report.problems.join(' ')).toMatch(/Missing permissions .*get ingresses.*create ingresses/);
  });

  it('a server that is not Kubernetes: its body never appears in the report (no SSRF probe)', async () => {
    const SECRET = 'INTERNAL-ONLY-BODY-7f3a';
    const bodies = [
      { status: 200, type: 'text/html', body: `<html>${SECRET}</html>` },
      { status: 200, type: 'application/json', body: JSON.stringify({ gitVersion: SECRET, major: '1' }) },
      { status: 500, type: 'application/json', body: JSON.stringify({ kind: 'Status', message: SECRET, reason: 'InternalError' }) },
      { status: 403, type: 'application/json', body: JSON.stringify({ kind: 'Status', message: SECRET, reason: SECRET }) },
      { status: 404, type: 'text/plain', body: SECRET },
    ];
    for (const b of bodies) {
      const server = http.createServer((_req, res) => {
        res.writeHead(b.status, { 'Content-Type': b.type });
        res.end(b.body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const kubeconfig = fake.kubeconfig().replace(fake.url, url);
      try {
        const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig }, { timeoutMs: 2000 }));
        expect(JSON.stringify(report), `${b.status} ${b.type}`).not.toContain(SECRET);
        expect(report.ok).toBe(false);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });
});

// A real kube-apiserver (../shared/kube/start-cluster DIR): set INGRESS_GATE_TEST_KUBE_DIR=DIR.
const KUBE_DIR = process.env.INGRESS_GATE_TEST_KUBE_DIR;
describe.skipIf(!KUBE_DIR)('Test connection against a real API server (INGRESS_GATE_TEST_KUBE_DIR)', () => {
  const kubeconfig = (name: string) => readFileSync(join(KUBE_DIR!, `${name}.kubeconfig`), 'utf8');
  it('ingress-gate.kubeconfig has no rights yet → authenticated, every permission ✗, not green', async () => {
    const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: kubeconfig('ingress-gate') }));
    expect(report).toMatchObject({
      ok: false,
      reachable: true,
      tls: { ok: true, detail: 'certificate verified' },
      authenticatedAs: 'ingress-gate',
    });
    expect(report.serverVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(report.permissions).toHaveLength(9);
    expect(report.permissions.every((p) => !p.allowed)).toBe(true);
    // Without list on namespaces, kube-system's uid stays unknown; the CA still identifies the cluster.
    expect(report.identity?.kubeSystemUid).toBeNull();
    expect(report.identity?.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
  it('admin.kubeconfig → ok, kube-system uid and CA recorded', async () => {
    const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: kubeconfig('admin') }));
    expect(report).toMatchObject({ ok: true, authenticatedAs: 'admin', problems: [] });
    expect(report.identity?.kubeSystemUid).toMatch(/^[0-9a-f-]{36}$/);
  });
  it('a wrong token → reachable, TLS verified, not authenticated', async () => {
    const bad = kubeconfig('ingress-gate').replace(/token: .*/, 'token: not-a-real-token');
    const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: bad }));
    expect(report).toMatchObject({ ok: false, reachable: true, authenticatedAs: null, error: { kind: 'unauthorized' } });
  });
});
