import { ALB, HAPROXY, NGINX, TRAEFIK } from './rules/helpers';

/**
 * Annotation keys that a risk rule reads for their meaning (not only for injection syntax), so
 * a change carrying them has been looked at. Everything else is "unknown" to the analyser, and an
 * unknown annotation never auto-approves unless the environment lists it (policy/auto-approve).
 * Hand-kept: add a key here when a rule starts reading it (a missing key only makes auto-approval
 * stricter, never looser).
 */
export const KNOWN_ANNOTATIONS: ReadonlySet<string> = new Set([
  'kubernetes.io/ingress.class',
  'cert-manager.io/cluster-issuer',
  'cert-manager.io/issuer',
  ...[
    'configuration-snippet',
    'server-snippet',
    'auth-snippet',
    'stream-snippet',
    'modsecurity-snippet',
    'auth-url',
    'auth-type',
    'auth-secret',
    'auth-signin',
    'auth-tls-secret',
    'auth-tls-verify-client',
    'auth-tls-match-cn',
    'auth-tls-error-page',
    'mirror-target',
    'mirror-host',
    'permanent-redirect',
    'temporal-redirect',
    'rewrite-target',
    'use-regex',
    'server-alias',
    'proxy-ssl-name',
    'upstream-hash-by',
    'ssl-redirect',
    'force-ssl-redirect',
    'whitelist-source-range',
    'allowlist-source-range',
    'default-backend',
  ].map((k) => NGINX + k),
  ...['scheme', 'inbound-cidrs', 'certificate-arn', 'group.name', 'auth-type'].map((k) => ALB + k),
  ...['router.tls', 'router.middlewares', 'router.entrypoints', 'router.pathmatcher'].map((k) => TRAEFIK + k),
  ...['whitelist', 'allow-list', 'auth-type', 'auth-secret', 'path-rewrite'].map((k) => HAPROXY + k),
]);
