import type { TRiskRule } from '../types';
import { DOCS, NGINX, NVD, onProposedAnnotations } from './helpers';

const SAFE_PATH_RE = /^[A-Za-z0-9/_.-]*$/;
const SENSITIVE_PATH_RE = /(^|\/)(etc|root)(\/|$)|\/var\/run\/secrets/;

export const PATH_RULES: TRiskRule[] = [
  {
    id: 'path-unusual-characters',
    severity: 'high',
    title: 'Path with characters outside [A-Za-z0-9/_.-]',
    why: 'Paths are written into nginx location blocks; characters such as newlines, quotes, `;`, `{`, `}`, `$` or regex syntax have been used to bypass path sanitisation and inject configuration (CVE-2021-25748).',
    reference: NVD('CVE-2021-25748'),
    check: (ctx) =>
      ctx.proposedRows
        .filter((r) => !SAFE_PATH_RE.test(r.path))
        .map((r) => ({
          message: `path ${JSON.stringify(r.path)} on ${r.host || 'any host'} contains unusual characters`,
          path: `${r.fieldPath}.path`,
        })),
  },
  {
    id: 'path-sensitive-location',
    severity: 'high',
    title: 'Path pointing at /etc, /root or /var/run/secrets',
    why: 'A path naming controller filesystem locations is the known way to make ingress-nginx serve its own files, including the service-account token (CVE-2021-25745).',
    reference: NVD('CVE-2021-25745'),
    check: (ctx) =>
      ctx.proposedRows
        .filter((r) => SENSITIVE_PATH_RE.test(r.path))
        .map((r) => ({ message: `path ${JSON.stringify(r.path)} names a sensitive filesystem location`, path: `${r.fieldPath}.path` })),
  },
  {
    id: 'path-implementation-specific',
    severity: 'low',
    title: 'pathType ImplementationSpecific',
    why: 'ImplementationSpecific leaves matching to the controller (ingress-nginx treats it as a regex when use-regex is on); the same manifest can route differently on another controller or version.',
    reference: DOCS.pathTypes,
    check: (ctx) =>
      ctx.proposedRows
        .filter((r) => r.pathType === 'ImplementationSpecific')
        .map((r) => ({ message: `path ${JSON.stringify(r.path)} uses ImplementationSpecific matching`, path: `${r.fieldPath}.pathType` })),
  },
  {
    id: 'nginx-use-regex',
    severity: 'medium',
    title: 'ingress-nginx use-regex',
    why: "With use-regex every path of the host (from every Ingress sharing it) is matched as a case-insensitive regex; a broad pattern silently captures other teams' paths.",
    reference: DOCS.nginxAnnotations,
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${NGINX}use-regex`,
        (k) => `${k} turns every path on the host into a regex`,
        (v) => v.toLowerCase() === 'true',
      ),
  },
  {
    id: 'nginx-rewrite-target',
    severity: 'low',
    title: 'ingress-nginx rewrite-target',
    why: 'rewrite-target rewrites the request path before it reaches the backend (and implies use-regex); a wrong capture group exposes paths the backend did not mean to serve.',
    reference: DOCS.nginxAnnotations,
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${NGINX}rewrite-target`,
        (k, v) => `${k} rewrites paths to ${JSON.stringify(v)}`,
      ),
  },
];
