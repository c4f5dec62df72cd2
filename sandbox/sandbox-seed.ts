import type { TSeed } from './kube-api/types';

/**
 * What the sandbox cluster holds on first start: two teams' namespaces with ingress-nginx style
 * Ingresses (TLS, cert-manager, a few annotations), the Services they route to, and two
 * IngressClasses (public and internal). Tests reuse it as realistic fixtures.
 */
const NGINX = 'nginx.ingress.kubernetes.io';

function service(
  namespace: string,
  name: string,
  ports: { name: string; port: number; targetPort: number | string; appProtocol?: string }[],
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': namespace } },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': name },
      ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
    },
  };
}

function ingressClass(name: string, isDefault: boolean, ingressClassValue: string): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {},
    },
    spec: { controller: `k8s.io/${ingressClassValue}` },
  };
}

export const SANDBOX_INGRESS_CLASSES = [
  ingressClass('nginx-public', true, 'ingress-nginx-public'),
  ingressClass('nginx-internal', false, 'ingress-nginx-internal'),
];

export const SANDBOX_SERVICES = [
  service('shop', 'storefront', [{ name: 'http', port: 80, targetPort: 'http' }]),
  service('shop', 'cart-api', [{ name: 'http', port: 8080, targetPort: 8080 }]),
  service('shop', 'catalog', [
    { name: 'http', port: 80, targetPort: 3000 },
    { name: 'metrics', port: 9090, targetPort: 9090 },
  ]),
  service('shop', 'shop-admin', [{ name: 'http', port: 8080, targetPort: 8080 }]),
  service('payments', 'checkout', [{ name: 'https', port: 443, targetPort: 8443, appProtocol: 'https' }]),
  service('payments', 'payments-api', [{ name: 'http', port: 8080, targetPort: 8080 }]),
  service('payments', 'webhooks', [{ name: 'http', port: 8080, targetPort: 8080 }]),
];

const PUBLIC_LB = { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } };
const INTERNAL_LB = { loadBalancer: { ingress: [{ ip: '10.20.0.15' }] } };

function svc(name: string, port: number | string): Record<string, unknown> {
  return { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

export const SANDBOX_INGRESSES: Record<string, unknown>[] = [
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'storefront',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'storefront', team: 'shop' },
      annotations: {
        'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
        [`${NGINX}/ssl-redirect`]: 'true',
        [`${NGINX}/proxy-body-size`]: '8m',
      },
    },
    spec: {
      ingressClassName: 'nginx-public',
      tls: [{ hosts: ['shop.example.com', 'www.shop.example.com'], secretName: 'shop-example-com-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: svc('storefront', 80) },
              { path: '/api/cart', pathType: 'Prefix', backend: svc('cart-api', 8080) },
              { path: '/catalog', pathType: 'Prefix', backend: svc('catalog', 'http') },
            ],
          },
        },
        { host: 'www.shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('storefront', 80) }] } },
      ],
    },
    status: PUBLIC_LB,
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'shop-admin',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'shop-admin', team: 'shop' },
      annotations: {
        [`${NGINX}/whitelist-source-range`]: '10.0.0.0/8,192.168.0.0/16',
        [`${NGINX}/auth-type`]: 'basic',
        [`${NGINX}/auth-secret`]: 'shop-admin-basic-auth',
        [`${NGINX}/auth-realm`]: 'Shop admin',
        'cert-manager.io/cluster-issuer': 'internal-ca',
      },
    },
    spec: {
      ingressClassName: 'nginx-internal',
      tls: [{ hosts: ['admin.shop.internal.example.com'], secretName: 'shop-admin-tls' }],
      rules: [
        { host: 'admin.shop.internal.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('shop-admin', 8080) }] } },
      ],
    },
    status: INTERNAL_LB,
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'checkout',
      namespace: 'payments',
      labels: { 'app.kubernetes.io/name': 'checkout', team: 'payments' },
      annotations: {
        'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
        [`${NGINX}/force-ssl-redirect`]: 'true',
        [`${NGINX}/backend-protocol`]: 'HTTPS',
        [`${NGINX}/limit-rps`]: '20',
      },
    },
    spec: {
      ingressClassName: 'nginx-public',
      tls: [{ hosts: ['pay.example.com'], secretName: 'pay-example-com-tls' }],
      rules: [
        {
          host: 'pay.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: svc('checkout', 443) },
              { path: '/api/v1/payments', pathType: 'Prefix', backend: svc('payments-api', 8080) },
            ],
          },
        },
      ],
    },
    status: PUBLIC_LB,
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'payments-webhooks',
      namespace: 'payments',
      labels: { 'app.kubernetes.io/name': 'webhooks', team: 'payments' },
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', [`${NGINX}/ssl-redirect`]: 'true' },
    },
    spec: {
      ingressClassName: 'nginx-public',
      tls: [{ hosts: ['hooks.pay.example.com'], secretName: 'hooks-pay-example-com-tls' }],
      rules: [
        {
          host: 'hooks.pay.example.com',
          http: { paths: [{ path: '/webhooks/stripe', pathType: 'Exact', backend: svc('webhooks', 'http') }] },
        },
      ],
    },
    status: PUBLIC_LB,
  },
];

export const SANDBOX_SEED: TSeed = {
  namespaces: ['shop', 'payments'],
  ingressClasses: SANDBOX_INGRESS_CLASSES,
  services: SANDBOX_SERVICES,
  ingresses: SANDBOX_INGRESSES,
};
