import { type FakeKubeApi, startFakeKubeApi, type TFakeKubeApiOptions } from '@/e2e/fakes/fake-kube-api';
import { SANDBOX_SEED } from '@/sandbox/sandbox-seed';
import { ingressYaml } from '@/e2e/support/manifests';
import type { TActor, TRole } from '@/lib/domain/authz/permissions';
import { loadActor } from '@/lib/server/auth/load-actor';
import { createEnvironment, createUser, type TEnvironmentSpec, type TRoleSpec } from '@/lib/server/seed/factories';
import { db } from '../helpers';

/**
 * A fake cluster (seeded like the sandbox) that SANDBOX environments talk to over real HTTP, and
 * helpers to make environments and actors. Each test file starts one with `startWorld()`.
 */
export async function startWorld(opts: TFakeKubeApiOptions = {}): Promise<{ fake: FakeKubeApi; stop: () => Promise<void> }> {
  const fake = await startFakeKubeApi(opts);
  fake.seed(SANDBOX_SEED);
  process.env.INGRESS_GATE_SANDBOX_URL = fake.url;
  process.env.INGRESS_GATE_SANDBOX_TOKEN = fake.token;
  return { fake, stop: () => fake.stop() };
}

export function reseed(fake: FakeKubeApi) {
  fake.reset();
  fake.seed(SANDBOX_SEED);
}

export async function env(spec: Partial<TEnvironmentSpec> & { name: string }) {
  return createEnvironment(db(), { connectionKind: 'SANDBOX', ...spec });
}

let n = 0;
export async function actor(roles: TRoleSpec[], name?: string): Promise<TActor> {
  n += 1;
  const user = await createUser(db(), { email: `${name ?? 'user'}-${n}@example.com`, name: name ?? `User ${n}`, roles });
  return (await loadActor(user.id))!;
}

export const role = (r: TRole, environment?: string): TRoleSpec => (environment ? { role: r, environment } : r);

/** An update of the sandbox's shop/storefront Ingress: adds a path. */
export const STOREFRONT_UPDATE = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: storefront
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  ingressClassName: nginx-public
  tls:
    - hosts: [shop.example.com]
      secretName: shop-example-com-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: storefront
                port:
                  number: 80
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: cart-api
                port:
                  number: 8080
`;

/** A new single-host Ingress of class nginx-public in `namespace`. */
export function newIngressYaml(name: string, host: string, namespace = 'shop'): string {
  return ingressYaml({ name, host, namespace, className: 'nginx-public' });
}

/** Jobs graphile-worker holds for a request. */
export async function jobsFor(changeRequestId: string): Promise<number> {
  const rows = await db().$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE key = $1`,
    `apply:${changeRequestId}`,
  );
  return Number(rows[0]!.n);
}
