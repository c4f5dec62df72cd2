import type { TRiskRule } from '../types';
import { ALB, annPath, changedAnnotations, DOCS, HAPROXY, NGINX, NVD, onProposedAnnotations, TRAEFIK } from './helpers';

const REWRITE_KEYS = new Set([`${NGINX}rewrite-target`, `${HAPROXY}path-rewrite`]);
// Regex syntax (and ALB wildcards); `.` alone is too common in real paths (`/file.txt`) to count.
const REGEX_CHARS_RE = /[\^$|?*+()[\]{}\\]/;

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
    id: 'rewrite-target-changed',
    severity: 'medium',
    title: 'Path rewrite added, changed or removed',
    why: 'A rewrite replaces the path every backend of the Ingress receives (ingress-nginx rewrite-target, HAProxy path-rewrite, AWS Load Balancer Controller url-rewrite transforms). Adding or changing one silently changes what each Service is asked for — a wrong capture group exposes paths the backend did not mean to serve, or breaks every route at once; ingress-nginx also turns every path of the host into a case-insensitive regex when rewrite-target is set.',
    reference: DOCS.nginxRewrite,
    check: (ctx) =>
      changedAnnotations(ctx, (k) => REWRITE_KEYS.has(k) || k.startsWith(`${ALB}transforms.`)).map((a) => ({
        message:
          a.change === 'removed'
            ? `${a.key} removed: backends receive the original path again instead of ${JSON.stringify(a.before)}`
            : `${a.key} ${a.change === 'added' ? 'added' : `changed from ${JSON.stringify(a.before)}`}: every backend now receives ${JSON.stringify(a.after)}`,
        path: annPath(a.key),
        side: a.change === 'removed' ? ('base' as const) : ('proposed' as const),
      })),
  },
  {
    id: 'path-regex',
    severity: 'medium',
    title: 'Regex path',
    why: 'A path matched as a regular expression (ingress-nginx with use-regex or rewrite-target, Traefik PathRegexp, and regex-like paths under ImplementationSpecific, which controllers such as ingress-nginx and the AWS Load Balancer Controller read as patterns or wildcards) can match far more than it reads: `/api.*` also takes `/api-internal`, and case-insensitive matching takes `/ADMIN`. Each such path is flagged at its own line.',
    reference: DOCS.nginxRegex,
    check: (ctx) => {
      const a = ctx.proposedAnnotations;
      const regexMode = (a[`${NGINX}use-regex`] ?? '').toLowerCase() === 'true' || a[`${NGINX}rewrite-target`] !== undefined;
      const traefikRegex = a[`${TRAEFIK}router.pathmatcher`] === 'PathRegexp';
      return ctx.proposedRows
        .filter((r) => (regexMode || traefikRegex || r.pathType === 'ImplementationSpecific') && REGEX_CHARS_RE.test(r.path))
        .map((r) => ({
          message: `path ${JSON.stringify(r.path)} on ${r.host || 'any host'} is matched as a pattern${regexMode ? ' (use-regex/rewrite-target: case-insensitive)' : traefikRegex ? ' (PathRegexp)' : ' (ImplementationSpecific)'}`,
          path: `${r.fieldPath}.path`,
        }));
    },
  },
];
