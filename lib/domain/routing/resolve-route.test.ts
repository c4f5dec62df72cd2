import { describe, expect, it } from 'vitest';
import type { TIngress, TPathType } from '../ingress/types';
import { resolveRoute } from './resolve-route';

function ingress(
  name: string,
  rules: { host?: string; paths: [string, TPathType, string][] }[],
  extra: Partial<TIngress['spec']> = {},
): TIngress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'web' },
    spec: {
      ...extra,
      rules: rules.map((r) => ({
        host: r.host,
        http: {
          paths: r.paths.map(([path, pathType, svc]) => ({ path, pathType, backend: { service: { name: svc, port: { number: 80 } } } })),
        },
      })),
    },
  };
}

const SET: TIngress[] = [
  ingress(
    'shop',
    [
      {
        host: 'shop.example.com',
        paths: [
          ['/', 'Prefix', 'storefront'],
          ['/api', 'Prefix', 'api'],
          ['/api/cart', 'Prefix', 'cart'],
          ['/api/cart', 'Exact', 'cart-exact'],
          ['/legacy', 'ImplementationSpecific', 'legacy'],
        ],
      },
    ],
    {
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    },
  ),
  ingress('wild', [{ host: '*.example.com', paths: [['/', 'Prefix', 'wildcard']] }]),
  ingress('any', [{ paths: [['/healthz', 'Exact', 'health']] }], {
    defaultBackend: { service: { name: 'fallback', port: { number: 80 } } },
  }),
  ingress('aaa-trailing', [{ host: 'docs.example.com', paths: [['/aaa/bbb/', 'Prefix', 'docs-b']] }]),
];

describe('resolveRoute', () => {
  it.each([
    ['https://shop.example.com/api/cart', 'cart-exact', 'exact-host'],
    ['https://shop.example.com/api/cart/', 'cart', 'exact-host'],
    ['https://shop.example.com/api/cart/items', 'cart', 'exact-host'],
    ['https://shop.example.com/api/cartography', 'api', 'exact-host'],
    ['https://shop.example.com/apix', 'storefront', 'exact-host'],
    ['https://shop.example.com/api', 'api', 'exact-host'],
    ['https://shop.example.com/legacy/x', 'legacy', 'exact-host'],
    ['https://SHOP.example.com:8443/', 'storefront', 'exact-host'],
    ['https://blog.example.com/anything', 'wildcard', 'wildcard-host'],
    ['https://a.blog.example.com/healthz', 'health', 'any-host'],
    ['https://docs.example.com/aaa/bbb', 'docs-b', 'exact-host'],
    ['https://docs.example.com/aaa/bbbxyz', 'fallback', 'default-backend'],
    ['http://unknown.test/nothing', 'fallback', 'default-backend'],
  ])('%s → %s (%s)', (url, service, matchedBy) => {
    const m = resolveRoute(SET, url);
    expect(m?.backend?.kind === 'service' && m.backend.service).toBe(service);
    expect(m?.matchedBy).toBe(matchedBy);
  });

  it('reports ingress, rule, path and TLS', () => {
    expect(resolveRoute(SET, 'https://shop.example.com/api/x')).toMatchObject({
      ingress: 'shop',
      namespace: 'web',
      ruleIndex: 0,
      pathIndex: 1,
      path: '/api',
      pathType: 'Prefix',
      backendLabel: 'api:80',
      tls: { secretName: 'shop-tls' },
      isTlsMissing: false,
    });
    expect(resolveRoute(SET, 'https://blog.example.com/')).toMatchObject({ tls: null, isTlsMissing: true });
  });

  it('no match and no defaultBackend → null; bad URL → null', () => {
    expect(resolveRoute(SET.slice(0, 2), 'https://other.test/')).toBeNull();
    expect(resolveRoute(SET, 'not a url')).toBeNull();
  });

  it('before/after: a change moves the route', () => {
    const after = [ingress('shop', [{ host: 'shop.example.com', paths: [['/', 'Prefix', 'storefront-v2']] }]), ...SET.slice(1)];
    expect(resolveRoute(SET, 'https://shop.example.com/api/cart')?.backendLabel).toBe('cart-exact:80');
    expect(resolveRoute(after, 'https://shop.example.com/api/cart')?.backendLabel).toBe('storefront-v2:80');
  });
});
