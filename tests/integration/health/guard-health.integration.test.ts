import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { PROTECTED_LABEL } from '@/lib/domain/guard/guard-health';
import { checkGuardHealth } from '@/lib/server/health/check-guard-health';
import { checkHealth } from '@/lib/server/health/check-health';
import { recordGuardHealth } from '@/lib/server/health/record-guard-health';
import { db, resetDb } from '../helpers';
import { env, reseed, startWorld } from '../change-requests/world';

// Guard health against the emulator, which stores and serves admissionregistration.k8s.io/v1
// objects as the real API server does; the real-cluster tier checks the same against kube-apiserver.
let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ fake, stop } = await startWorld());
});
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

const GUARD = parseAllDocuments(readFileSync(new URL('../../../deploy/admission-policy.yaml', import.meta.url), 'utf8'))
  .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
  .filter((d) => d?.kind);

async function api(method: string, path: string, body?: unknown) {
  const r = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';

async function install() {
  for (const d of GUARD) await api('POST', d.kind === 'ValidatingAdmissionPolicy' ? VAP : VAPB, d);
}
async function label(ns: string, value: string | null) {
  const o = await api('GET', `/api/v1/namespaces/${ns}`);
  const labels = { ...o.metadata.labels };
  if (value === null) delete labels[PROTECTED_LABEL];
  else labels[PROTECTED_LABEL] = value;
  await api('PUT', `/api/v1/namespaces/${ns}`, { ...o, metadata: { ...o.metadata, labels } });
}
const prod = async () => db().environment.findUniqueOrThrow({ where: { name: 'prod' } });

describe('guard health (emulator)', () => {
  it('deploy/ installed and the namespace labelled → protected; binding deleted → guard missing; label removed → unprotected', async () => {
    await env({ name: 'prod', policy: { allowedNamespaces: ['shop'] } });
    await install();
    await label('shop', 'true');
    expect(await checkGuardHealth(await prod())).toMatchObject({ ok: true, status: 'protected', protectedNamespaces: ['shop'] });

    await api('DELETE', `${VAPB}/ingress-gate-only-writer`);
    const missing = await checkGuardHealth(await prod());
    expect(missing).toMatchObject({ ok: true, status: 'guard-missing' });
    expect((missing as { problems: string[] }).problems.join()).toMatch(
      /ValidatingAdmissionPolicyBinding ingress-gate-only-writer is missing/,
    );

    await api(
      'POST',
      VAPB,
      GUARD.find((d) => d.kind === 'ValidatingAdmissionPolicyBinding'),
    );
    expect(await checkGuardHealth(await prod())).toMatchObject({ status: 'protected' });
    await label('shop', null);
    expect(await checkGuardHealth(await prod())).toMatchObject({ status: 'unprotected-namespaces', unprotectedNamespaces: ['shop'] });
  });

  it('nothing installed → guard missing, naming both; an unreachable cluster → unknown with the error', async () => {
    await env({ name: 'prod', policy: { allowedNamespaces: ['shop'] } });
    const h = await checkGuardHealth(await prod());
    expect(h).toMatchObject({ ok: true, status: 'guard-missing', unprotectedNamespaces: ['shop'] });
    expect((h as { problems: string[] }).problems).toHaveLength(2);
    fake.setUnreachable(true);
    try {
      expect(await checkGuardHealth(await prod())).toMatchObject({ ok: false, status: 'unknown' });
    } finally {
      fake.setUnreachable(false);
    }
  });

  it('the worker raises it like drift: audited and notified once per change, restored once; /api/health shows it', async () => {
    await env({ name: 'prod', policy: { allowedNamespaces: ['shop'] } });
    await install();
    await label('shop', 'true');
    expect((await recordGuardHealth()).prod).toMatchObject({ status: 'protected' });
    const count = (action: string) => db().auditEvent.count({ where: { action } });
    const notes = (kind: string) => db().notificationEvent.count({ where: { kind } });
    expect(await count('guard.unhealthy')).toBe(0);

    await api('DELETE', `${VAPB}/ingress-gate-only-writer`);
    await recordGuardHealth();
    await recordGuardHealth();
    expect(await count('guard.unhealthy')).toBe(1);
    expect(await notes('guard-unhealthy')).toBe(1);
    const health = await checkHealth();
    expect(health.guards).toEqual([
      expect.objectContaining({
        environment: 'prod',
        status: 'guard-missing',
        summary: expect.stringMatching(/^Guard missing: .*Binding/),
      }),
    ]);

    await api(
      'POST',
      VAPB,
      GUARD.find((d) => d.kind === 'ValidatingAdmissionPolicyBinding'),
    );
    await recordGuardHealth();
    expect(await count('guard.restored')).toBe(1);
    expect(await notes('guard-restored')).toBe(1);
    expect((await checkHealth()).guards?.[0]).toMatchObject({ status: 'protected' });

    // An unreachable cluster is stored as unknown and raises nothing.
    fake.setUnreachable(true);
    try {
      await recordGuardHealth();
    } finally {
      fake.setUnreachable(false);
    }
    expect((await checkHealth()).guards?.[0]).toMatchObject({ status: 'unknown' });
    expect(await count('guard.unhealthy')).toBe(1);
  });
});
