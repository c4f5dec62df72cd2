import { basename, dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingressYaml } from '@/e2e/support/manifests';
import type { TActor } from '@/lib/domain/authz/permissions';
import type { TIngress } from '@/lib/domain/ingress/types';
import { applyChangeRequest, type TApplyResult } from '@/lib/server/apply/apply-change-request';
import { loadActor } from '@/lib/server/auth/load-actor';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { adoptLiveState } from '@/lib/server/drift/adopt-live-state';
import { detectDriftOnce } from '@/lib/server/drift/detect-drift-once';
import { restoreApprovedState } from '@/lib/server/drift/restore-approved-state';
import { startDriftWatch } from '@/lib/server/drift/start-drift-watch';
import { AppError } from '@/lib/server/errors';
import { rollbackChangeRequest } from '@/lib/server/history/rollback';
import { KubeError } from '@/lib/server/kube/kube-error';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from '../integration/helpers';
import type { TTarget } from './targets';

/** Journey step timings (ms), printed when a target's run ends: the figures the README reports. */
export const timings: Record<string, number[]> = {};
const time = (step: string, ms: number) => (timings[step] ??= []).push(Math.round(ms * 10) / 10);

type TTeam = { envId: string; requester: TActor; approvers: [TActor, TActor] };
let seq = 0;

async function team(target: TTarget, _namespace: string): Promise<TTeam> {
  // Kubeconfig files are read only from the operator's directory, by file name (issue 11).
  process.env.INGRESS_GATE_KUBECONFIG_DIR = dirname(target.kubeconfigPath);
  const env = await createEnvironment(db(), {
    name: `journey-${target.name}-${++seq}`,
    requiredApprovals: 2,
    connectionKind: 'KUBECONFIG_FILE',
    kubeconfigPath: basename(target.kubeconfigPath),
  });
  const person = async (role: 'REQUESTER' | 'APPROVER', name: string) =>
    (await loadActor(
      (await createUser(db(), { email: `${name}-${seq}@journey.example.com`, roles: [{ role, environment: env.name }] })).id,
    ))!;
  return {
    envId: env.id,
    requester: await person('REQUESTER', 'req'),
    approvers: [await person('APPROVER', 'a1'), await person('APPROVER', 'a2')],
  };
}

/** Two approvals, then the just-in-time apply (as the worker runs it); times approval → written. */
async function approveAndApply(t: TTeam, id: string, step: string, revision = 1): Promise<TApplyResult> {
  await reviewChangeRequest(t.approvers[0], id, { decision: 'APPROVE', revision });
  const started = performance.now();
  await reviewChangeRequest(t.approvers[1], id, { decision: 'APPROVE', revision });
  const result = await applyChangeRequest({ changeRequestId: id, revision });
  time(step, performance.now() - started);
  return result;
}

const yaml = (namespace: string, name: string, extra: Partial<Parameters<typeof ingressYaml>[0]> = {}) =>
  ingressYaml({
    name,
    namespace,
    host: `${name}.${namespace}.example.com`,
    className: 'nginx-public',
    annotations: { team: 'journey' },
    ...extra,
  });

async function drift(envId: string, namespace: string, name: string) {
  return db().driftRecord.findUniqueOrThrow({
    where: { environmentId_namespace_ingressName: { environmentId: envId, namespace, ingressName: name } },
  });
}

/**
 * The request → approve → apply journey and its failure modes, through the real
 * @kubernetes/client-node and the project's own server code, against `target()`. Shared by the
 * real-cluster tier and the emulator's integration test so both are held to one list.
 */
export function journeyScenarios(label: string, target: () => TTarget) {
  describe(`journey on ${label}`, () => {
    let ns = '';
    let n = 0;
    beforeAll(async () => {
      ns = `journey-${label.replace(/[^a-z]/g, '')}-${Date.now().toString(36)}`;
      await target().prepareNamespace(ns);
    });
    beforeEach(async () => {
      await resetDb();
    });
    afterAll(() => {
      console.log(`journey timings on ${label} (ms): ${JSON.stringify(timings)}`);
    });
    const name = (base: string) => `${base}-${++n}`;

    it('create, update and delete reach the API server; each is recorded as applied', async () => {
      const t = await team(target(), ns);
      const ing = name('web');
      const created = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'New web entry',
        justification: 'launch',
        yaml: yaml(ns, ing),
      });
      expect((await approveAndApply(t, created.id, 'create')).outcome).toBe('applied');
      const live = await target().client.getIngress(ns, ing);
      expect(live?.spec?.rules?.[0]?.host).toBe(`${ing}.${ns}.example.com`);
      expect(live?.metadata.managedFields?.map((m) => (m as { manager?: string }).manager)).toContain('ingress-gate');
      const appliedEvent = await db().auditEvent.findFirstOrThrow({
        where: { changeRequestId: created.id, action: 'change-request.applied' },
      });
      expect(appliedEvent.details).toMatchObject({ fieldManager: 'ingress-gate' });

      const updated = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'update',
        title: 'Move to /shop',
        justification: 'routing',
        yaml: yaml(ns, ing, { path: '/shop' }),
      });
      expect((await approveAndApply(t, updated.id, 'update')).outcome).toBe('applied');
      expect((await target().client.getIngress(ns, ing))?.spec?.rules?.[0]?.http?.paths[0]?.path).toBe('/shop');

      const deleted = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'delete',
        name: ing,
        title: 'Retire',
        justification: 'unused',
      });
      expect((await approveAndApply(t, deleted.id, 'delete')).outcome).toBe('applied');
      expect(await target().client.getIngress(ns, ing)).toBeNull();
      expect(await db().changeRequest.count({ where: { status: 'APPLIED' } })).toBe(3);
    });

    it('an out-of-band edit between approval and apply makes the request STALE, names the moved fields, and writes nothing', async () => {
      const t = await team(target(), ns);
      const ing = name('stale');
      const c = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing),
      });
      await approveAndApply(t, c.id, 'create');
      const u = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'update',
        title: 'Move',
        justification: 'routing',
        yaml: yaml(ns, ing, { path: '/moved' }),
      });
      await target().outOfBandAnnotate(ns, ing, 'oob.example.com/edited', 'yes');
      const before = await target().client.getIngress(ns, ing);
      const result = await approveAndApply(t, u.id, 'stale');
      expect(result.outcome).toBe('stale');
      const after = await target().client.getIngress(ns, ing);
      expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
      expect(after?.spec?.rules?.[0]?.http?.paths[0]?.path).toBe('/');
      expect((result as { message: string }).message).toContain(
        'changed in the cluster after review: metadata.annotations[oob.example.com/edited] (resourceVersion',
      );
      // The approvals were for a base that moved: the page must not show a met quorum.
      const view = await getChangeRequest(t.requester, u.id);
      expect(view.status).toBe('STALE');
      expect(view.approval.approvals).toEqual([]);
      expect(view.approval.voided).toBe(2);
    });

    it('drift: detected with the changed annotation; restore puts the approved state back; adopt makes the live state approved', async () => {
      const t = await team(target(), ns);
      const ing = name('drift');
      const c = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing),
      });
      await approveAndApply(t, c.id, 'create');
      await detectDriftOnce(t.envId);
      expect((await drift(t.envId, ns, ing)).state).toBe('IN_SYNC');

      await target().outOfBandAnnotate(ns, ing, 'oob.example.com/edited', 'one');
      let started = performance.now();
      await detectDriftOnce(t.envId);
      time('drift detect (one pass)', performance.now() - started);
      const record = await drift(t.envId, ns, ing);
      expect(record.state).toBe('DRIFTED');
      expect(JSON.stringify(record.details)).toContain('oob.example.com/edited');

      const restore = await restoreApprovedState(t.requester, record.id);
      expect((await approveAndApply(t, restore.id, 'restore')).outcome).toBe('applied');
      expect((await target().client.getIngress(ns, ing))?.metadata.annotations?.['oob.example.com/edited']).toBeUndefined();
      await detectDriftOnce(t.envId);
      expect((await drift(t.envId, ns, ing)).state).toBe('IN_SYNC');

      await target().outOfBandAnnotate(ns, ing, 'oob.example.com/edited', 'two');
      started = performance.now();
      await detectDriftOnce(t.envId);
      time('drift detect (one pass)', performance.now() - started);
      const adopt = await adoptLiveState(t.requester, (await drift(t.envId, ns, ing)).id);
      expect((await approveAndApply(t, adopt.id, 'adopt')).outcome).toBe('applied');
      await detectDriftOnce(t.envId);
      expect((await drift(t.envId, ns, ing)).state).toBe('IN_SYNC');
      expect((await target().client.getIngress(ns, ing))?.metadata.annotations?.['oob.example.com/edited']).toBe('two');
    });

    // Issue 12.3: an approved state without TLS, applied before the environment required TLS, is
    // restored after each drift shape (TLS added out of band, deleted out of band) and applied;
    // the breach is a warning naming the approved state, never a refusal.
    it('restore of an approved state without TLS under a TLS policy introduced later is proposed and applied', async () => {
      const t = await team(target(), ns);
      for (const shape of ['tls-added', 'deleted'] as const) {
        const ing = name(`plain-${shape}`);
        const host = `${ing}.${ns}.example.com`;
        const c = await submitChangeRequest(t.requester, {
          environment: t.envId,
          namespace: ns,
          action: 'create',
          title: 'Journey step',
          justification: 'before TLS was required',
          yaml: yaml(ns, ing, { tls: false }),
        });
        expect((await approveAndApply(t, c.id, 'create')).outcome).toBe('applied');
        await db().environment.update({ where: { id: t.envId }, data: { policy: { requireTls: true } } });
        if (shape === 'tls-added') await target().outOfBandAddTls(ns, ing, host, 'oob-tls');
        else await target().outOfBandDelete(ns, ing);
        await detectDriftOnce(t.envId);
        const record = await drift(t.envId, ns, ing);
        expect(record.state).toBe(shape === 'deleted' ? 'DELETED' : 'DRIFTED');
        const restore = await restoreApprovedState(t.requester, record.id);
        const revision = await db().revision.findFirstOrThrow({ where: { changeRequestId: restore.id } });
        const policy = (revision.analysis as { policy: { violations: unknown[]; warnings: { code: string; message: string }[] } }).policy;
        expect(policy.violations).toEqual([]);
        expect(policy.warnings).toContainEqual(
          expect.objectContaining({ code: 'tls-required', message: expect.stringContaining('approved state') }),
        );
        const applied = await approveAndApply(t, restore.id, 'restore');
        expect(applied, JSON.stringify(applied)).toMatchObject({ outcome: 'applied' });
        const live = await target().client.getIngress(ns, ing);
        expect(live?.spec?.rules?.[0]?.host).toBe(host);
        expect(live?.spec?.tls).toBeUndefined();
        await db().environment.update({ where: { id: t.envId }, data: { policy: {} } });
      }
    });

    // Issue 12.4: the API server goes away after the approval; the change waits ("waiting for
    // cluster since …") through more attempts than the old give-up allowed, and is applied once
    // the server is back, with no new approvals.
    it('an approved change waits while the API server is down and is applied when it is back', async () => {
      const t = await team(target(), ns);
      const ing = name('outage');
      const c = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing),
      });
      await reviewChangeRequest(t.approvers[0], c.id, { decision: 'APPROVE', revision: 1 });
      await reviewChangeRequest(t.approvers[1], c.id, { decision: 'APPROVE', revision: 1 });
      await target().stopApiServer();
      let restarted = false;
      try {
        const t0 = new Date();
        for (let i = 0; i < 12; i += 1) {
          const r = await applyChangeRequest({ changeRequestId: c.id, revision: 1 }, { now: () => new Date(t0.getTime() + i * 60_000) });
          expect(r, JSON.stringify(r)).toMatchObject({ outcome: 'retry' });
        }
        const waiting = await db().changeRequest.findUniqueOrThrow({ where: { id: c.id } });
        expect(waiting.status).toBe('APPROVED');
        expect(waiting.clusterWaitingSince?.toISOString()).toBe(t0.toISOString());
        expect(waiting.statusReason).toMatch(new RegExp(`^Waiting for cluster since ${t0.toISOString()}`));
        const started = performance.now();
        await target().startApiServer();
        restarted = true;
        let result: TApplyResult | null = null;
        // The server may answer 5xx while it starts (still retryable): try as the worker would.
        for (let i = 0; i < 60 && result?.outcome !== 'applied'; i += 1) {
          result = await applyChangeRequest({ changeRequestId: c.id, revision: 1 });
          if (result.outcome !== 'applied') await new Promise((res) => setTimeout(res, 500));
        }
        time('outage: API server back → applied', performance.now() - started);
        expect(result, JSON.stringify(result)).toMatchObject({ outcome: 'applied' });
        expect((await target().client.getIngress(ns, ing))?.spec?.rules?.[0]?.host).toBe(`${ing}.${ns}.example.com`);
        expect(await db().changeRequest.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
          status: 'APPLIED',
          clusterWaitingSince: null,
        });
      } finally {
        if (!restarted) await target().startApiServer();
      }
    }, 180_000);

    it("an update keeps kubectl's last-applied-configuration, which reviewers do not review (issue 12.8)", async () => {
      const t = await team(target(), ns);
      const ing = name('lastapplied');
      const c = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing),
      });
      await approveAndApply(t, c.id, 'create');
      const lastApplied = '{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"x"}}';
      await target().outOfBandAnnotate(ns, ing, 'kubectl.kubernetes.io/last-applied-configuration', lastApplied);
      const u = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'update',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing, { path: '/kept' }),
      });
      expect((await approveAndApply(t, u.id, 'update')).outcome).toBe('applied');
      const live = await target().client.getIngress(ns, ing);
      expect(live?.spec?.rules?.[0]?.http?.paths[0]?.path).toBe('/kept');
      expect(live?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe(lastApplied);
    });

    it('rollback of an applied update puts the previous version back', async () => {
      const t = await team(target(), ns);
      const ing = name('rollback');
      const c = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing),
      });
      await approveAndApply(t, c.id, 'create');
      const u = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'update',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing, { path: '/v2' }),
      });
      await approveAndApply(t, u.id, 'update');
      const rollback = await rollbackChangeRequest(t.requester, u.id);
      expect((await approveAndApply(t, rollback.id, 'rollback')).outcome).toBe('applied');
      expect((await target().client.getIngress(ns, ing))?.spec?.rules?.[0]?.http?.paths[0]?.path).toBe('/');
    });

    it("an admission policy refuses the dry run: the submit fails with the server's own message, said once, and nothing is stored", async () => {
      const t = await team(target(), ns);
      await target().reserveNames('reserved-', 'names starting with reserved- belong to the platform team');
      const error = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'never stored',
        justification: 'real-cluster journey',
        yaml: yaml(ns, name('reserved')),
      }).catch((e: unknown) => e);
      expect(error, String(error)).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(e.code).toBe('UNPROCESSABLE');
      const said = 'names starting with reserved- belong to the platform team';
      expect(e.message).toMatch(
        /^The journey-\S+ API server refused the change: ingresses\.networking\.k8s\.io "reserved-\d+" is forbidden: ValidatingAdmissionPolicy 'ig-test-reserved-reserved' with binding 'ig-test-reserved-reserved' denied request: /,
      );
      // Once: not repeated as a field error, no second prefix.
      expect(e.message.split(said)).toHaveLength(2);
      expect(e.message).not.toMatch(/rejected the object/);
      expect(e.fieldErrors ?? []).toEqual([]);
      expect(await db().changeRequest.count()).toBe(0);
    });

    it('a write into a namespace that does not exist is a 404 before validation (an invalid object there too)', async () => {
      const missing = `${ns}-missing`;
      const invalid: TIngress = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'dry-missing', namespace: missing },
        spec: {
          rules: [
            {
              host: 'a.example.com',
              http: { paths: [{ path: 'not-absolute', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] },
            },
          ],
        },
      };
      const direct = await target()
        .client.dryRunCreate(invalid)
        .catch((e: unknown) => e);
      expect(direct).toBeInstanceOf(KubeError);
      expect((direct as KubeError).kind).toBe('not-found');
      expect((direct as KubeError).serverMessage).toBe(`namespaces "${missing}" not found`);
      const inNamespace = await target()
        .client.dryRunCreate({ ...invalid, metadata: { name: 'dry-invalid', namespace: ns } })
        .catch((e: unknown) => e);
      expect((inNamespace as KubeError).kind).toBe('invalid');
      expect((inNamespace as KubeError).causes).toEqual([
        { field: 'spec.rules[0].http.paths[0].path', message: 'Invalid value: "not-absolute": must be an absolute path' },
      ]);
    });

    it('the drift watch resumes after the API server restarts and still sees the next edit', async () => {
      const t = await team(target(), ns);
      const ing = name('watch');
      const c = await submitChangeRequest(t.requester, {
        environment: t.envId,
        namespace: ns,
        action: 'create',
        title: 'Journey step',
        justification: 'real-cluster journey',
        yaml: yaml(ns, ing),
      });
      await approveAndApply(t, c.id, 'create');
      const lines: string[] = [];
      const watch = startDriftWatch({
        mode: 'watch',
        resyncMs: 600_000,
        recheckMs: 60_000,
        environmentRefreshMs: 600_000,
        log: (l) => lines.push(`${new Date().toISOString().slice(11, 23)} ${l}`),
      });
      try {
        await watch.ready();
        const started = performance.now();
        await target().restartApiServer();
        time('API server restart', performance.now() - started);
        await target().outOfBandAnnotate(ns, ing, 'oob.example.com/after-restart', 'yes');
        const edited = performance.now();
        lines.push(`${new Date().toISOString().slice(11, 23)} (test) edited after restart`);
        for (;;) {
          const r = await drift(t.envId, ns, ing).catch(() => null);
          if (r?.state === 'DRIFTED') break;
          // The watch reconnects with backoff (250 ms doubling to 30 s), so an outage of ~10 s can
          // leave up to one 30 s wait before it is back.
          if (performance.now() - edited > 70_000)
            throw new Error(`the watch did not see the edit within 70 s of the restart; its log: ${lines.join(' | ')}`);
          await new Promise((res) => setTimeout(res, 25));
        }
        time('drift after restart: edit → recorded', performance.now() - edited);
        if (process.env.INGRESS_GATE_TEST_VERBOSE) console.log(lines.join('\n'));
      } finally {
        await watch.stop();
      }
    }, 180_000);
  });
}
