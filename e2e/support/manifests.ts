// Ingress manifests for tests and benchmarks (no Playwright here, so integration tests and
// bench/ scripts can use them too). One TLS host, one Prefix path.

/** A single-host Ingress; class nginx-internal, backend storefront:80 and TLS unless told otherwise. */
export function ingressYaml(o: {
  name: string;
  namespace?: string;
  host: string;
  service?: string;
  port?: number;
  path?: string;
  tls?: boolean;
  annotations?: Record<string, string>;
  className?: string;
}): string {
  const ann =
    o.annotations && Object.keys(o.annotations).length
      ? `  annotations:\n${Object.entries(o.annotations)
          .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
          .join('\n')}\n`
      : '';
  const tls = o.tls === false ? '' : `  tls:\n    - hosts: [${o.host}]\n      secretName: ${o.name}-tls\n`;
  const namespace = o.namespace ? `  namespace: ${o.namespace}\n` : '';
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${o.name}
${namespace}${ann}spec:
  ingressClassName: ${o.className ?? 'nginx-internal'}
${tls}  rules:
    - host: ${o.host}
      http:
        paths:
          - path: ${o.path ?? '/'}
            pathType: Prefix
            backend:
              service:
                name: ${o.service ?? 'storefront'}
                port:
                  number: ${o.port ?? 80}
`;
}
