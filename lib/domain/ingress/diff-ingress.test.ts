import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__';
import { diffIngress } from './diff-ingress';
import { parseIngress } from './parse-ingress';
import type { TIngress } from './types';

function ing(name: string): TIngress {
  const r = parseIngress(fixture(name));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
}
const SHOP = ing('nginx-shop.yaml');
const LIVE = ing('live-with-server-fields.yaml');
function mod(fn: (i: TIngress) => void): TIngress {
  const c = structuredClone(SHOP);
  fn(c);
  return c;
}

describe('diffIngress', () => {
  it('live object vs its manifest: identical, all rows unchanged', () => {
    const d = diffIngress(LIVE, SHOP);
    expect(d.isIdentical).toBe(true);
    expect(d.routeCounts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 3 });
    expect(d.annotations).toEqual([]);
  });

  it('create: every row added', () => {
    const d = diffIngress(null, SHOP);
    expect(d.action).toBe('create');
    expect(d.routes.map((r) => [r.change, r.host + r.path, r.after?.backendLabel])).toEqual([
      ['added', 'shop.example.com/', 'storefront:80'],
      ['added', 'shop.example.com/api', 'shop-api:http'],
      ['added', 'shop.example.com/healthz', 'shop-api:8080'],
    ]);
    expect(d.ingressClass).toEqual({ before: null, after: 'nginx-private' });
  });

  it('delete: every row removed', () => {
    const d = diffIngress(SHOP, null);
    expect(d.action).toBe('delete');
    expect(d.routeCounts.removed).toBe(3);
    expect(d.annotations.every((a) => a.change === 'removed')).toBe(true);
  });

  type TCase = { name: string; proposed: TIngress; check: (d: ReturnType<typeof diffIngress>) => void };
  const CASES: TCase[] = [
    {
      name: 'backend port changed',
      proposed: mod((i) => (i.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 8081 })),
      check: (d) =>
        expect(
          d.routes
            .filter((r) => r.change === 'changed')
            .map((r) => [r.path, r.changedFields, r.before?.backendLabel, r.after?.backendLabel]),
        ).toEqual([['/', ['backend'], 'storefront:80', 'storefront:8081']]),
    },
    {
      name: 'pathType change is remove + add',
      proposed: mod((i) => (i.spec.rules![0]!.http!.paths[2]!.pathType = 'Prefix')),
      check: (d) => expect(d.routeCounts).toMatchObject({ added: 1, removed: 1, unchanged: 2 }),
    },
    {
      name: 'annotation added, removed, changed',
      proposed: mod((i) => {
        const a = i.metadata.annotations!;
        a['example.com/new'] = 'x';
        delete a['nginx.ingress.kubernetes.io/auth-type'];
        a['nginx.ingress.kubernetes.io/proxy-body-size'] = '16m';
      }),
      check: (d) =>
        expect(d.annotations.map((a) => [a.change, a.key])).toEqual([
          ['added', 'example.com/new'],
          ['removed', 'nginx.ingress.kubernetes.io/auth-type'],
          ['changed', 'nginx.ingress.kubernetes.io/proxy-body-size'],
        ]),
    },
    {
      name: 'TLS secret swapped shows per host and on rows',
      proposed: mod((i) => (i.spec.tls![0]!.secretName = 'new-tls')),
      check: (d) => {
        expect(d.tls).toEqual([{ host: 'shop.example.com', before: 'shop-example-com-tls', after: 'new-tls' }]);
        expect(d.routeCounts.changed).toBe(3);
      },
    },
    {
      name: 'TLS removed',
      proposed: mod((i) => delete i.spec.tls),
      check: (d) => expect(d.tls).toEqual([{ host: 'shop.example.com', before: 'shop-example-com-tls', after: null }]),
    },
    {
      name: 'class via legacy annotation',
      proposed: mod((i) => {
        delete i.spec.ingressClassName;
        i.metadata.annotations!['kubernetes.io/ingress.class'] = 'nginx-public';
      }),
      check: (d) => expect(d.ingressClass).toEqual({ before: 'nginx-private', after: 'nginx-public' }),
    },
    {
      name: 'defaultBackend added',
      proposed: mod((i) => (i.spec.defaultBackend = { service: { name: 'fallback', port: { number: 80 } } })),
      check: (d) => expect(d.defaultBackend).toEqual({ before: null, after: 'fallback:80' }),
    },
  ];
  it.each(CASES)('$name', ({ proposed, check }) => check(diffIngress(SHOP, proposed)));
});
