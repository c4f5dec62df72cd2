import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { ingressYaml } from '@/e2e/support/manifests';
import type { TIngress } from '@/lib/domain/ingress/types';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import type { AppError } from '@/lib/server/errors';
import { preparePromotion } from '@/lib/server/promotion/prepare-promotion';
import { updateEnvironmentSchedule } from '@/lib/server/schedule/update-environment-schedule';
import { db, resetDb } from '../helpers';
import { actor, env, reseed, startWorld } from '../change-requests/world';

// staging (shop-staging, *.staging.example.com) → prod (shop, *.example.com) on one cluster, with
// a fake clock passed as `now` everywhere.
let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => ({ fake, stop } = await startWorld()));
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
  fake.seed({ namespaces: ['shop-staging'] });
});

const T0 = new Date('2026-12-01T10:00:00Z');
const after = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const PROD_RULES = {
  hostSuffixes: [{ from: 'staging.example.com', to: 'example.com' }],
  tlsSecrets: [{ from: 'wildcard-staging-tls', to: 'wildcard-tls' }],
  namespaces: [{ from: 'shop-staging', to: 'shop' }],
  priorStage: { environment: 'staging', minutes: 60, onMissing: 'refuse' },
};

async function world(rules: object = PROD_RULES) {
  const staging = await env({ name: 'staging' });
  const prod = await env({ name: 'prod', isProduction: true });
  await db().environment.update({ where: { id: staging.id }, data: { promotionOrder: 1 } });
  await db().environment.update({ where: { id: prod.id }, data: { promotionOrder: 2, promotionRules: rules } });
  return {
    staging,
    prod,
    requester: await actor(['REQUESTER']),
    approver: await actor(['APPROVER']),
    approver2: await actor(['APPROVER']),
    admin: await actor(['ADMIN']),
  };
}
type TWorld = Awaited<ReturnType<typeof world>>;

const stagingYaml = (path = '/') =>
  ingressYaml({ name: 'promo', host: 'promo.staging.example.com', namespace: 'shop-staging', className: 'nginx-public', path });
const prodYaml = (path = '/') =>
  ingressYaml({ name: 'promo', host: 'promo.example.com', namespace: 'shop', className: 'nginx-public', path });

async function submit(w: TWorld, environment: string, yaml: string, now: Date, extra: object = {}) {
  return submitChangeRequest(
    w.requester,
    {
      environment,
      namespace: environment === 'staging' ? 'shop-staging' : 'shop',
      action: 'create',
      title: 'Promo page',
      justification: 'campaign',
      yaml,
      ...extra,
    },
    { now },
  );
}

async function approveAndApply(w: TWorld, id: string, now: Date) {
  await reviewChangeRequest(w.approver, id, { decision: 'APPROVE', revision: 1, comment: 'ok' }, now);
  return applyChangeRequest({ changeRequestId: id, revision: 1 }, { now: () => now });
}

async function appliedInStaging(w: TWorld) {
  const cr = await submit(w, 'staging', stagingYaml(), T0);
  expect((await approveAndApply(w, cr.id, T0)).outcome).toBe('applied');
  return { cr, version: await db().appliedVersion.findFirstOrThrow({ where: { changeRequestId: cr.id } }) };
}

describe('promotion', () => {
  it('prepares the applied staging version for prod: mapped host, TLS secret and namespace, with the evidence', async () => {
    const w = await world();
    const { cr, version } = await appliedInStaging(w);
    const draft = await preparePromotion(w.requester, version.id, { now: after(10) });
    expect(draft.target).toEqual({ environment: 'prod', namespace: 'shop', name: 'promo', action: 'create', isProduction: true });
    expect(draft.yaml).toContain('host: promo.example.com');
    expect(draft.yaml).toContain('secretName: promo-tls');
    expect(draft.yaml).toContain('namespace: shop\n');
    expect(draft.yaml).not.toContain('staging');
    expect(draft.changes.map((c) => c.path)).toEqual(['metadata.namespace', 'spec.rules[0].host', 'spec.tls[0].hosts[0]']);
    expect(draft.source).toMatchObject({
      environment: 'staging',
      appliedAt: T0,
      appliedBy: w.requester.email,
      changeRequestNumber: (await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).number,
      driftedAt: null,
      failedAt: null,
    });
    expect(draft.priorStage).toMatchObject({ ok: false, reason: expect.stringContaining('10 min ago; 60 min are required') });
  });

  it('refuses at submit until the prior-stage time has passed, then accepts the promotion; approved and applied in prod', async () => {
    const w = await world();
    const { version } = await appliedInStaging(w);
    const early = await submit(w, 'prod', prodYaml(), after(30), { promotedFrom: version.id }).catch((e: AppError) => e);
    expect(early).toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringMatching(/prod requires .* Applied in staging .* 30 min ago; 60 min are required/),
    });
    expect(await db().changeRequest.count({ where: { environmentId: w.prod.id } })).toBe(0);

    const ok = await submit(w, 'prod', prodYaml(), after(60), { promotedFrom: version.id });
    const stored = await db().changeRequest.findUniqueOrThrow({ where: { id: ok.id } });
    expect(stored.promotedFromId).toBe(version.id);
    expect(stored.extraApprovals).toBe(0);
    const submitted = await db().auditEvent.findFirstOrThrow({ where: { changeRequestId: ok.id, action: 'change-request.submitted' } });
    expect(submitted.details).toMatchObject({
      promotedFrom: version.id,
      priorStage: { satisfied: true, evidence: { environment: 'staging', minutesAgo: 60 } },
    });
    expect((await approveAndApply(w, ok.id, after(61))).outcome).toBe('applied');
    expect((fake.peek('ingresses', 'shop', 'promo') as TIngress | null)?.spec.rules?.[0]?.host).toBe('promo.example.com');
  });

  it('refuses content that differs from what staging runs, naming the prior stage', async () => {
    const w = await world();
    await appliedInStaging(w);
    const err = await submit(w, 'prod', prodYaml('/other'), after(120)).catch((e: AppError) => e);
    expect(err).toMatchObject({
      code: 'UNPROCESSABLE',
      fieldErrors: [{ path: 'priorStage', message: expect.stringContaining('has not been applied in staging') }],
    });
  });

  it('refuses a revision whose new content was not applied in staging', async () => {
    const w = await world();
    await appliedInStaging(w);
    const ok = await submit(w, 'prod', prodYaml(), after(61));
    const err = await reviseChangeRequest(w.requester, ok.id, { yaml: prodYaml('/other') }, { now: after(62) }).catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'UNPROCESSABLE', fieldErrors: [{ path: 'priorStage' }] });
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: ok.id } })).currentRevision).toBe(1);
  });

  it('refuses when the staging object drifted since it was applied', async () => {
    const w = await world();
    await appliedInStaging(w);
    await db().driftRecord.create({
      data: { environmentId: w.staging.id, namespace: 'shop-staging', ingressName: 'promo', state: 'DRIFTED', detectedAt: after(5) },
    });
    const err = await submit(w, 'prod', prodYaml(), after(120)).catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'UNPROCESSABLE', message: expect.stringContaining('drifted in staging') });
  });

  it('re-checks at apply: drift in staging after submission fails the prod apply and writes nothing', async () => {
    const w = await world();
    await appliedInStaging(w);
    const ok = await submit(w, 'prod', prodYaml(), after(90));
    await reviewChangeRequest(w.approver, ok.id, { decision: 'APPROVE', revision: 1, comment: 'ok' }, after(91));
    await db().driftRecord.create({
      data: { environmentId: w.staging.id, namespace: 'shop-staging', ingressName: 'promo', state: 'DRIFTED', detectedAt: after(92) },
    });
    const result = await applyChangeRequest({ changeRequestId: ok.id, revision: 1 }, { now: () => after(93) });
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringContaining('prior-stage check no longer passes') });
    expect(fake.peek('ingresses', 'shop', 'promo')).toBeNull();
  });

  it('with onMissing extra-approval: accepted early but needs one approval more than the environment asks', async () => {
    const w = await world({ ...PROD_RULES, priorStage: { ...PROD_RULES.priorStage, onMissing: 'extra-approval' } });
    await appliedInStaging(w);
    const cr = await submit(w, 'prod', prodYaml(), after(5));
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).extraApprovals).toBe(1);
    expect((await reviewChangeRequest(w.approver, cr.id, { decision: 'APPROVE', revision: 1, comment: 'ok' }, after(6))).status).toBe(
      'PENDING',
    );
    expect((await reviewChangeRequest(w.approver2, cr.id, { decision: 'APPROVE', revision: 1, comment: 'ok' }, after(7))).status).toBe(
      'APPROVED',
    );
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => after(8) })).outcome).toBe('applied');
  });

  it('refuses to promote from the last stage, a non-requester, and an unknown id', async () => {
    const w = await world();
    const { version } = await appliedInStaging(w);
    await expect(preparePromotion(w.approver, version.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(preparePromotion(w.requester, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await db().environment.update({ where: { id: w.prod.id }, data: { promotionOrder: null } });
    await expect(preparePromotion(w.requester, version.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('last stage'),
    });
  });
});

describe('environment schedule settings', () => {
  const valid = {
    promotionOrder: 2,
    changeWindows: { timeZone: 'Europe/Berlin', windows: [{ rrule: 'FREQ=DAILY;BYHOUR=9', durationMinutes: 60 }] },
    promotionRules: PROD_RULES,
  };

  it('saves windows, path and rules, audited; only admins', async () => {
    const w = await world({});
    await expect(updateEnvironmentSchedule(w.requester, w.prod.id, valid)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await updateEnvironmentSchedule(w.admin, w.prod.id, valid);
    const prod = await db().environment.findUniqueOrThrow({ where: { id: w.prod.id } });
    expect(prod.changeWindows).toMatchObject({ timeZone: 'Europe/Berlin' });
    expect(await db().auditEvent.count({ where: { action: 'environment.schedule-updated', environmentId: w.prod.id } })).toBe(1);
  });

  it.each([
    [
      'a broken RRULE',
      { changeWindows: { windows: [{ rrule: 'FREQ=NEVER', durationMinutes: 60 }] } },
      'INVALID_INPUT',
      'changeWindows.windows.0.rrule',
    ],
    ['an unknown time zone', { changeWindows: { timeZone: 'Berlin' } }, 'INVALID_INPUT', 'changeWindows.timeZone'],
    ['a position staging holds', { promotionOrder: 1 }, 'UNPROCESSABLE', 'promotionOrder'],
    [
      'a prior stage that is not earlier',
      { promotionOrder: 2, promotionRules: { priorStage: { environment: 'prod', minutes: 5 } } },
      'UNPROCESSABLE',
      'promotionRules.priorStage.environment',
    ],
    [
      'an unknown prior stage',
      { promotionRules: { priorStage: { environment: 'qa', minutes: 5 } } },
      'UNPROCESSABLE',
      'promotionRules.priorStage.environment',
    ],
  ])('refuses %s, naming the field, and changes nothing', async (_n, patch, code, path) => {
    const w = await world({});
    const err = await updateEnvironmentSchedule(w.admin, w.prod.id, { ...valid, ...patch }).catch((e: AppError) => e);
    expect(err).toMatchObject({ code, fieldErrors: [expect.objectContaining({ path })] });
    expect((await db().environment.findUniqueOrThrow({ where: { id: w.prod.id } })).changeWindows).toEqual({});
  });

  it('re-decides SCHEDULED requests when the windows change', async () => {
    const w = await world({});
    await db().environment.update({
      where: { id: w.prod.id },
      data: { changeWindows: { timeZone: 'UTC', windows: [{ rrule: 'FREQ=DAILY;BYHOUR=20', durationMinutes: 60 }] } },
    });
    const cr = await submit(w, 'prod', prodYaml(), T0);
    expect((await reviewChangeRequest(w.approver, cr.id, { decision: 'APPROVE', revision: 1, comment: 'ok' }, T0)).status).toBe(
      'SCHEDULED',
    );
    await updateEnvironmentSchedule(
      w.admin,
      w.prod.id,
      {
        promotionOrder: 2,
        changeWindows: { timeZone: 'UTC', windows: [{ rrule: 'FREQ=DAILY;BYHOUR=12', durationMinutes: 60 }] },
        promotionRules: {},
      },
      T0,
    );
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).scheduledFor?.toISOString()).toBe(
      '2026-12-01T12:00:00.000Z',
    );
    await updateEnvironmentSchedule(w.admin, w.prod.id, { promotionOrder: 2, changeWindows: {}, promotionRules: {} }, T0);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status).toBe('APPROVED');
  });
});
