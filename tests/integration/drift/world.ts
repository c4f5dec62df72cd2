import type { FakeKubeApi, TFakeKubeApiOptions } from '@/e2e/fakes/fake-kube-api';
import type { TActor, TRole } from '@/lib/domain/authz/permissions';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { loadActor } from '@/lib/server/auth/load-actor';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { createEnvironment, createUser, type TEnvironmentSpec, type TRoleSpec } from '@/lib/server/seed/factories';
import { reseed, startWorld as startClusterWorld, STOREFRONT_UPDATE } from '../change-requests/world';
import { db } from '../helpers';

/**
 * A fake cluster seeded like the sandbox, which SANDBOX environments reach over real HTTP
 * (through INGRESS_GATE_SANDBOX_URL/TOKEN, as in production code paths), plus the steps every
 * drift test needs: an environment, people, and an Ingress applied through the real engine.
 */
export async function startWorld(opts: TFakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  return (await startClusterWorld(opts)).fake;
}

export { reseed };

let n = 0;
export async function person(roles: TRoleSpec[], name = 'user'): Promise<TActor> {
  n += 1;
  const user = await createUser(db(), { email: `${name}-${n}@drift.example.com`, name: `${name} ${n}`, roles });
  return (await loadActor(user.id))!;
}

export const role = (r: TRole, environment: string): TRoleSpec => ({ role: r, environment });

export type TWorld = { envId: string; requester: TActor; approver: TActor; auditor: TActor };

/** An environment with a requester, an approver and an auditor scoped to it. */
export async function team(spec: Partial<TEnvironmentSpec> = {}): Promise<TWorld> {
  const env = await createEnvironment(db(), { name: 'prod', connectionKind: 'SANDBOX', ...spec });
  const name = env.name;
  return {
    envId: env.id,
    requester: await person([role('REQUESTER', name)], 'requester'),
    approver: await person([role('APPROVER', name)], 'approver'),
    auditor: await person([role('AUDITOR', name)], 'auditor'),
  };
}

/** Approve revision 1 (or `revision`) and run the real just-in-time apply. */
export async function approveAndApply(w: TWorld, changeRequestId: string, revision = 1) {
  const request = await db().changeRequest.findUniqueOrThrow({ where: { id: changeRequestId } });
  if (request.status === 'PENDING') await reviewChangeRequest(w.approver, changeRequestId, { decision: 'APPROVE', revision });
  return applyChangeRequest({ changeRequestId, revision });
}

/** The sandbox's shop/storefront as the approved state: an update through the whole engine. */
export const STOREFRONT = STOREFRONT_UPDATE;

export async function applyStorefront(w: TWorld) {
  const request = await submitChangeRequest(w.requester, {
    environment: w.envId,
    namespace: 'shop',
    action: 'update',
    title: 'Add cart API',
    justification: 'Checkout needs it',
    yaml: STOREFRONT,
  });
  const result = await approveAndApply(w, request.id);
  if (result.outcome !== 'applied') throw new Error(`applyStorefront: ${JSON.stringify(result)}`);
  return request;
}

/** `kubectl edit`: an annotation added and the / backend's port changed, written by manager kubectl-edit. */
export function editStorefront(fake: FakeKubeApi) {
  return fake.mutate('shop', 'storefront', (o) => {
    const meta = o.metadata;
    meta.annotations = { ...meta.annotations, 'nginx.ingress.kubernetes.io/whitelist-source-range': '0.0.0.0/0' };
    const spec = o.spec as { rules: { http: { paths: { backend: { service: { port: { number: number } } } }[] } }[] };
    spec.rules[0]!.http.paths[0]!.backend.service.port = { number: 8080 };
  });
}

export async function driftRecord(envId: string, namespace: string, ingressName: string) {
  return db().driftRecord.findUnique({ where: { environmentId_namespace_ingressName: { environmentId: envId, namespace, ingressName } } });
}

export async function auditCount(action: string, ingressName?: string): Promise<number> {
  return db().auditEvent.count({ where: { action, ...(ingressName ? { ingressName } : {}) } });
}

/** Polls `fn` until it returns a truthy value; returns it and how long it took. */
export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    const value = await fn();
    if (value) return { value, ms: performance.now() - start };
    if (performance.now() - start > timeoutMs) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
