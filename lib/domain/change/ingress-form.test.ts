import { describe, expect, it } from 'vitest';
import { parseIngress } from '../ingress/parse-ingress';
import { contentHash } from '../ingress/normalise-ingress';
import { formFromIngress, ingressFromForm, ZIngressForm } from './ingress-form';
import { revisionHash } from './revision-hash';

const YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  labels:
    team: shop
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  ingressClassName: nginx-public
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 8080
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
`;

describe('ingressFromForm', () => {
  it('builds the same canonical manifest as the equivalent YAML', () => {
    const form = ZIngressForm.parse({
      name: 'shop',
      ingressClassName: 'nginx-public',
      rules: [
        {
          host: 'Shop.Example.com',
          paths: [
            { path: '/api', pathType: 'Prefix', serviceName: 'api', servicePort: '8080' },
            { path: '/', serviceName: 'web', servicePort: 'http' },
          ],
        },
      ],
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      labels: [{ key: 'team', value: 'shop' }],
      annotations: [{ key: 'nginx.ingress.kubernetes.io/ssl-redirect', value: 'true' }],
    });
    const parsed = parseIngress(YAML, { namespace: 'shop' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(contentHash(ingressFromForm(form, 'shop'))).toBe(contentHash(parsed.ingress));
  });

  it('round-trips through formFromIngress', () => {
    const parsed = parseIngress(YAML, { namespace: 'shop' });
    if (!parsed.ok) throw new Error('fixture');
    const form = formFromIngress(parsed.ingress);
    expect(form).not.toBeNull();
    expect(contentHash(ingressFromForm(form!, 'shop'))).toBe(contentHash(parsed.ingress));
  });

  it('refuses to show an Ingress the form cannot represent', () => {
    const parsed = parseIngress(
      YAML.replace('spec:\n', 'spec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n'),
      { namespace: 'shop' },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(formFromIngress(parsed.ingress)).toBeNull();
  });

  it('names missing fields', () => {
    const result = ZIngressForm.safeParse({ name: '', rules: [{ host: 'a.example.com', paths: [{ serviceName: '', servicePort: '' }] }] });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('name: Name is required.');
    expect(messages).toContain('rules.0.paths.0.serviceName: Backend service is required.');
  });
});

describe('revisionHash', () => {
  const base = { action: 'update', namespace: 'shop', name: 'web', proposedHash: 'sha256:a', baseResourceVersion: '10' } as const;
  it.each([
    ['content', { proposedHash: 'sha256:b' }],
    ['base resourceVersion (a rebase)', { baseResourceVersion: '11' }],
    ['action', { action: 'delete' }],
    ['target', { name: 'other' }],
  ] as const)('changes with the %s', (_n, patch) => {
    expect(revisionHash({ ...base, ...patch })).not.toBe(revisionHash(base));
  });
  it('is stable', () => {
    expect(revisionHash({ ...base })).toBe(revisionHash(base));
  });
});
