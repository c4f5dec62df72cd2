import { beforeEach, describe, expect, it } from 'vitest';
import type { TActor } from '@/lib/domain/authz/permissions';
import { createEnvironment as createEnvironmentOp } from '@/lib/server/admin/create-environment';
import { createLocalUser, grantRole, revokeRole, setUserActive } from '@/lib/server/admin/manage-users';
import { getEnvironmentForAdmin, listEnvironmentsForAdmin, listUsersForAdmin } from '@/lib/server/admin/read-admin';
import { setEnvironmentDisabled } from '@/lib/server/admin/set-environment-disabled';
import { testEnvironmentConnection } from '@/lib/server/admin/test-environment-connection';
import { updateEnvironment } from '@/lib/server/admin/update-environment';
import { actorFromApiToken, hashApiToken } from '@/lib/server/api-tokens/actor-from-api-token';
import { loadActor } from '@/lib/server/auth/load-actor';
import { verifyLiveAuditChain } from '@/lib/server/audit/verify-live-audit-chain';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from '../helpers';

beforeEach(resetDb);

async function actorWith(email: string, roles: Parameters<typeof createUser>[1]['roles']): Promise<TActor> {
  const user = await createUser(db(), { email, roles });
  return (await loadActor(user.id))!;
}

function settings(over: Record<string, unknown> = {}) {
  return {
    description: 'Production',
    isProduction: true,
    requiredApprovals: 2,
    requestExpiryHours: 168,
    rollbackPreApproved: false,
    autoApproveEnabled: false,
    policy: { requireTls: true, allowedHostPatterns: ['*.example.com'] },
    connection: { kind: 'SANDBOX' },
    ...over,
  };
}

/** A PENDING request with revision 1 and approvals from `approvers` (inserted as the engine would store them). */
async function pendingRequest(environmentId: string, requesterId: string, approverIds: string[]) {
  const { request, revision } = await db().$transaction(async (tx) => {
    const request = await tx.changeRequest.create({
      data: {
        environmentId,
        namespace: 'shop',
        ingressName: 'web',
        action: 'UPDATE',
        requesterId,
        title: 'Rotate TLS',
        justification: 'ticket',
      },
    });
    const revision = await tx.revision.create({
      data: {
        changeRequestId: request.id,
        number: 1,
        authorId: requesterId,
        proposedYaml: 'x',
        contentHash: 'sha256:abc',
        baseYaml: '',
        analysis: {},
      },
    });
    return { request, revision };
  });
  for (const reviewerId of approverIds) {
    await db().review.create({
      data: { changeRequestId: request.id, revisionId: revision.id, reviewerId, decision: 'APPROVE', contentHash: 'sha256:abc' },
    });
  }
  return request;
}

async function jobsFor(changeRequestId: string): Promise<number> {
  const rows = await db()
    .$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = $1`,
      `apply:${changeRequestId}`,
    )
    .catch(() => [{ n: -1 }]);
  return rows[0]!.n;
}

describe('required approvals', () => {
  it('lowering the count approves a pending request that now has quorum and enqueues its apply job in the same transaction; audited', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const env = await createEnvironment(db(), { name: 'prod', requiredApprovals: 3 });
    const requester = await createUser(db(), { email: 'req@example.com', roles: ['REQUESTER'] });
    const a1 = await createUser(db(), { email: 'a1@example.com', roles: ['APPROVER'] });
    const a2 = await createUser(db(), { email: 'a2@example.com', roles: ['APPROVER'] });
    await createUser(db(), { email: 'a3@example.com', roles: ['APPROVER'] });
    const ready = await pendingRequest(env.id, requester.id, [a1.id, a2.id]);
    const notReady = await pendingRequest(env.id, requester.id, [a1.id]);

    const result = await updateEnvironment(admin, env.id, settings({ requiredApprovals: 2 }));
    expect(result.approvedByNewCount).toEqual([ready.id]);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: ready.id } })).status).toBe('APPROVED');
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: notReady.id } })).status).toBe('PENDING');
    expect(await jobsFor(ready.id)).toBe(1);
    expect(await jobsFor(notReady.id)).toBe(0);
    const events = await db().auditEvent.findMany({
      orderBy: { seq: 'asc' },
      select: { action: true, changeRequestId: true, details: true },
    });
    expect(events.map((e) => e.action)).toEqual(['environment.updated', 'change-request.approved']);
    expect(events[0]!.details).toMatchObject({ before: { requiredApprovals: 3 }, after: { requiredApprovals: 2 } });
    expect(await verifyLiveAuditChain(admin)).toMatchObject({ ok: true, count: 2 });
  });

  it('raising the count approves nothing; pending requests simply need more', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const env = await createEnvironment(db(), { name: 'prod', requiredApprovals: 2 });
    const requester = await createUser(db(), { email: 'req@example.com', roles: ['REQUESTER'] });
    const approvers = await Promise.all(
      ['a1', 'a2', 'a3'].map((n) => createUser(db(), { email: `${n}@example.com`, roles: [{ role: 'APPROVER', environment: 'prod' }] })),
    );
    const request = await pendingRequest(env.id, requester.id, [approvers[0]!.id]);
    const result = await updateEnvironment(admin, env.id, settings({ requiredApprovals: 3 }));
    expect(result.approvedByNewCount).toEqual([]);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');
    expect((await db().environment.findUniqueOrThrow({ where: { id: env.id } })).requiredApprovals).toBe(3);
  });

  it('refuses more required approvals than eligible approvers, naming them, and changes nothing', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const env = await createEnvironment(db(), { name: 'prod', requiredApprovals: 1 });
    await createUser(db(), { email: 'a1@example.com', roles: ['APPROVER'] });
    await createUser(db(), { email: 'gone@example.com', roles: ['APPROVER'], isActive: false });
    await createUser(db(), { email: 'devonly@example.com', roles: [{ role: 'APPROVER', environment: 'prod' }] });
    await expect(updateEnvironment(admin, env.id, settings({ requiredApprovals: 3 }))).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      fieldErrors: [
        {
          path: 'requiredApprovals',
          message: 'Only 2 eligible approvers (a1@example.com, devonly@example.com) can approve here; add approvers before requiring 3.',
        },
      ],
    });
    expect((await db().environment.findUniqueOrThrow({ where: { id: env.id } })).requiredApprovals).toBe(1);
    expect(await db().auditEvent.count()).toBe(0);
  });

  it('validates every field and names it', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const env = await createEnvironment(db(), { name: 'prod' });
    const bad = settings({
      requiredApprovals: 11,
      requestExpiryHours: 0,
      policy: { allowedHostPatterns: ['bad host!'] },
      connection: { kind: 'KUBECONFIG_FILE', path: '' },
    });
    const error = await updateEnvironment(admin, env.id, bad).catch((e: { fieldErrors: { path: string }[] }) => e);
    expect((error as { fieldErrors: { path: string }[] }).fieldErrors.map((f) => f.path).sort()).toEqual([
      'connection.path',
      'policy.allowedHostPatterns.0',
      'requestExpiryHours',
      'requiredApprovals',
    ]);
  });
});

describe('environments', () => {
  it('creates, reads (no kubeconfig leaves the server), seals an inline kubeconfig, disables and re-enables; all audited', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    await createUser(db(), { email: 'a1@example.com', roles: ['APPROVER'] });
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: secret-token-value}}]\ncontexts: [{name: ctx, context: {cluster: c, user: u}}]\ncurrent-context: ctx\n`;
    const { id } = await createEnvironmentOp(admin, {
      name: 'eu-prod',
      ...settings({ requiredApprovals: 1, connection: { kind: 'KUBECONFIG_INLINE', kubeconfig, context: 'ctx' } }),
    });
    const row = await db().environment.findUniqueOrThrow({ where: { id } });
    expect(row.kubeconfigSealed).toMatch(/^v1:/);
    expect(row.kubeconfigSealed).not.toContain('secret-token-value');
    expect(row.policy).toMatchObject({ requireTls: true });
    // Approval count and rollback pre-approval live in their columns only, never duplicated in the policy.
    expect(row.policy).not.toHaveProperty('requiredApprovals');
    expect(row.requiredApprovals).toBe(1);
    const view = await getEnvironmentForAdmin(admin, id);
    expect(JSON.stringify(view)).not.toContain('secret-token-value');
    expect(view.settings.connection).toEqual({ kind: 'KUBECONFIG_INLINE', path: null, context: 'ctx', hasInlineKubeconfig: true });
    expect(view.settings.policy).not.toHaveProperty('requiredApprovals');
    // An empty kubeconfig on update keeps the stored one.
    await updateEnvironment(
      admin,
      id,
      settings({ requiredApprovals: 1, description: 'EU', connection: { kind: 'KUBECONFIG_INLINE', kubeconfig: '', context: 'ctx' } }),
    );
    expect((await db().environment.findUniqueOrThrow({ where: { id } })).kubeconfigSealed).toBe(row.kubeconfigSealed);
    await expect(createEnvironmentOp(admin, { name: 'eu-prod', ...settings({ requiredApprovals: 1 }) })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(createEnvironmentOp(admin, { name: 'EU Prod', ...settings({ requiredApprovals: 1 }) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'name' }],
    });
    const report = await testEnvironmentConnection(admin, id);
    expect(report.reachable).toBe(false);
    await setEnvironmentDisabled(admin, id, true);
    expect((await listEnvironmentsForAdmin(admin)).find((e) => e.id === id)!.disabledAt).not.toBeNull();
    await setEnvironmentDisabled(admin, id, false);
    const actions = (await db().auditEvent.findMany({ orderBy: { seq: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['environment.created', 'environment.updated', 'environment.disabled', 'environment.enabled']);
    expect(JSON.stringify(await db().auditEvent.findMany({ select: { reason: true, details: true } }))).not.toContain('secret-token-value');
  });
});

describe('users', () => {
  it('creates a local user who can sign in with roles; grants and revokes roles; audited', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const env = await createEnvironment(db(), { name: 'prod' });
    const { id } = await createLocalUser(admin, {
      email: 'New@Example.com',
      name: 'New',
      password: 'a-long-initial-password',
      roles: [{ role: 'REQUESTER', environmentId: '' }],
    });
    const { id: grant } = await grantRole(admin, id, { role: 'APPROVER', environmentId: env.id });
    await expect(grantRole(admin, id, { role: 'APPROVER', environmentId: env.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await loadActor(id))!.roles).toEqual(
      expect.arrayContaining([
        { role: 'REQUESTER', environmentId: null },
        { role: 'APPROVER', environmentId: env.id },
      ]),
    );
    await revokeRole(admin, grant);
    expect((await loadActor(id))!.roles).toEqual([{ role: 'REQUESTER', environmentId: null }]);
    await expect(
      createLocalUser(admin, { email: 'new@example.com', name: 'Again', password: 'a-long-initial-password' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createLocalUser(admin, { email: 'x', name: '', password: 'short' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // Strength, not length: 12 spaces, a dictionary word with digits, the user's own name.
    for (const weak of ['            ', 'password1234', 'weakling.user@example.com']) {
      const refused = createLocalUser(admin, { email: 'weakling.user@example.com', name: 'Weakling', password: weak });
      await expect(refused).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        fieldErrors: [{ path: 'password', message: expect.stringMatching(/^The password is too easy to guess\./) }],
      });
    }
    expect(await db().user.count({ where: { email: 'weakling.user@example.com' } })).toBe(0);
    expect((await db().auditEvent.findMany({ orderBy: { seq: 'asc' } })).map((e) => e.action)).toEqual([
      'user.created',
      'user.role-granted',
      'user.role-revoked',
    ]);
    expect(JSON.stringify(await db().auditEvent.findMany({ select: { reason: true, details: true } }))).not.toContain(
      'a-long-initial-password',
    );
  });

  it('deactivation stops sessions and API tokens at once and keeps the user’s audit history', async () => {
    const admin = await actorWith('admin@example.com', ['ADMIN']);
    const user = await createUser(db(), { email: 'leaver@example.com', roles: ['REQUESTER'] });
    await db().apiToken.create({
      data: {
        userId: user.id,
        name: 'ci',
        prefix: 'igt_abcd',
        tokenHash: hashApiToken('igt_leaver-token'),
        scopes: ['READ'],
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await db().$transaction((tx) =>
      import('@/lib/server/audit/append-audit-event').then((m) =>
        m.appendAuditEvent(tx, { actor: { id: user.id, email: user.email }, action: 'user.signed-in' }),
      ),
    );
    expect(await actorFromApiToken('igt_leaver-token')).not.toBeNull();
    const result = await setUserActive(admin, user.id, false);
    expect(result.revokedTokens).toBe(1);
    expect(await loadActor(user.id, 1)).toBeNull();
    expect(await actorFromApiToken('igt_leaver-token')).toBeNull();
    await setUserActive(admin, user.id, true);
    // The old session version stays dead after reactivation.
    expect(await loadActor(user.id, 1)).toBeNull();
    expect(await loadActor(user.id, 2)).not.toBeNull();
    expect(await db().auditEvent.count({ where: { actorId: user.id } })).toBe(1);
  });

  it('an admin cannot remove the last admin, by revoking or deactivating, even concurrently', async () => {
    const a = await actorWith('a@example.com', ['ADMIN']);
    const b = await actorWith('b@example.com', ['ADMIN']);
    const roleOf = async (userId: string) => (await db().roleAssignment.findFirstOrThrow({ where: { userId, role: 'ADMIN' } })).id;
    const results = await Promise.allSettled([revokeRole(a, await roleOf(b.id)), revokeRole(b, await roleOf(a.id))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'CONFLICT', message: expect.stringMatching(/last admin/) },
    });
    const remaining = await db().roleAssignment.findFirstOrThrow({ where: { role: 'ADMIN' }, include: { user: true } });
    const survivor = (await loadActor(remaining.userId))!;
    await expect(revokeRole(survivor, remaining.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setUserActive(survivor, survivor.id, false)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('permission matrix: admin operations', () => {
  const CASES = [
    { who: 'no role', roles: [], allowed: false },
    { who: 'requester', roles: ['REQUESTER'], allowed: false },
    { who: 'approver', roles: ['APPROVER'], allowed: false },
    { who: 'auditor', roles: ['AUDITOR'], allowed: false },
    { who: 'admin', roles: ['ADMIN'], allowed: true },
  ] as const;
  for (const c of CASES) {
    it(`${c.who}: every environment and user operation is ${c.allowed ? 'allowed' : 'refused (403)'}`, async () => {
      const env = await createEnvironment(db(), { name: 'prod' });
      const target = await createUser(db(), { email: 'target@example.com', roles: ['REQUESTER'] });
      await createUser(db(), { email: 'keeper@example.com', roles: ['ADMIN', 'APPROVER'] });
      const actor = await actorWith('who@example.com', [...c.roles]);
      const ops: [string, () => Promise<unknown>][] = [
        ['listEnvironmentsForAdmin', () => listEnvironmentsForAdmin(actor)],
        ['getEnvironmentForAdmin', () => getEnvironmentForAdmin(actor, env.id)],
        ['createEnvironment', () => createEnvironmentOp(actor, { name: 'new-env', ...settings({ requiredApprovals: 1 }) })],
        ['updateEnvironment', () => updateEnvironment(actor, env.id, settings({ requiredApprovals: 1 }))],
        ['setEnvironmentDisabled', () => setEnvironmentDisabled(actor, env.id, true)],
        ['testEnvironmentConnection', () => testEnvironmentConnection(actor, env.id)],
        ['listUsersForAdmin', () => listUsersForAdmin(actor)],
        ['createLocalUser', () => createLocalUser(actor, { email: 'fresh@example.com', name: 'F', password: 'a-long-initial-password' })],
        ['grantRole', () => grantRole(actor, target.id, { role: 'AUDITOR', environmentId: null })],
        [
          'revokeRole',
          async () =>
            revokeRole(actor, (await db().roleAssignment.findFirstOrThrow({ where: { userId: target.id, role: 'REQUESTER' } })).id),
        ],
        ['setUserActive', () => setUserActive(actor, target.id, false)],
      ];
      for (const [name, op] of ops) {
        const outcome = await op().then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? String(e),
        );
        expect(`${name}: ${outcome}`).toBe(`${name}: ${c.allowed ? 'ok' : 'FORBIDDEN'}`);
      }
    });
  }

  it('an admin scoped to one environment manages that environment only, and no users', async () => {
    const prod = await createEnvironment(db(), { name: 'prod' });
    const dev = await createEnvironment(db(), { name: 'dev' });
    await createUser(db(), { email: 'a1@example.com', roles: ['APPROVER'] });
    const devAdmin = await actorWith('devadmin@example.com', [{ role: 'ADMIN', environment: 'dev' }]);
    await expect(updateEnvironment(devAdmin, dev.id, settings({ requiredApprovals: 1 }))).resolves.toBeTruthy();
    await expect(updateEnvironment(devAdmin, prod.id, settings({ requiredApprovals: 1 }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await listEnvironmentsForAdmin(devAdmin)).map((e) => e.name)).toEqual(['dev']);
    await expect(createEnvironmentOp(devAdmin, { name: 'x', ...settings({ requiredApprovals: 1 }) })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(listUsersForAdmin(devAdmin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('auto-approve criteria (issue 13)', () => {
  it('an admin saves the positive low-risk list; it is stored in the policy and read back; a bad entry is refused', async () => {
    const admin = await actorWith('admin-aa@example.com', ['ADMIN']);
    const env = await createEnvironment(db(), { name: 'dev' });
    const autoApprove = {
      ingressClasses: ['nginx-internal'],
      annotations: ['nginx.ingress.kubernetes.io/proxy-body-size', 'example.com/*'],
      addPathsToExistingHosts: false,
    };
    await updateEnvironment(
      admin,
      env.id,
      settings({ requiredApprovals: 1, autoApproveEnabled: true, policy: { autoApproveMaxSeverity: 'info', autoApprove } }),
    );
    const row = await db().environment.findUniqueOrThrow({ where: { id: env.id } });
    expect(row.policy).toMatchObject({ autoApproveMaxSeverity: 'info', autoApprove });
    const view = await getEnvironmentForAdmin(admin, env.id);
    expect(view.settings.policy.autoApprove).toEqual(autoApprove);

    await expect(
      updateEnvironment(admin, env.id, settings({ requiredApprovals: 1, policy: { autoApprove: { annotations: [''] } } })),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [expect.objectContaining({ path: 'policy.autoApprove.annotations.0' })],
    });
    expect((await db().environment.findUniqueOrThrow({ where: { id: env.id } })).policy).toMatchObject({ autoApprove });
  });
});
