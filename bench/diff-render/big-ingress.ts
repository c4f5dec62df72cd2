import type { TIngress } from '@/lib/domain';

function ingress(hosts: number, paths: number, change: (i: number) => number, extra: Record<string, string> = {}): TIngress {
  let n = 0;
  const hostNames = Array.from({ length: hosts }, (_, h) => `app-${h}.example.com`);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'big', namespace: 'shop', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', ...extra } },
    spec: {
      ingressClassName: 'nginx-public',
      tls: [{ hosts: hostNames, secretName: 'big-tls' }],
      rules: hostNames.map((host) => ({
        host,
        http: {
          paths: Array.from({ length: paths }, (_, j) => {
            const i = n++;
            return {
              path: `/svc-${j}/v${i}`,
              pathType: 'Prefix' as const,
              backend: { service: { name: `svc-${i % 40}`, port: { number: 8080 + change(i) } } },
            };
          }),
        },
      })),
    },
  };
}

/**
 * The 5,000-line Ingress pair both diff benches use (bench/diff-render.ts: the component alone;
 * bench/diff-page.ts: the real request page): 625 paths, ~2% of the backends move, and a
 * critical snippet annotation appears.
 */
export function bigIngressPair(): { base: TIngress; proposed: TIngress } {
  return {
    base: ingress(25, 29, () => 0),
    proposed: ingress(25, 29, (i) => (i % 50 === 7 ? 1 : 0), {
      'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: <img src=x onerror=alert(1)>";',
    }),
  };
}
