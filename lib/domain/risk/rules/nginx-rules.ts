import type { TRiskRule } from '../types';
import { annPath, changedAnnotations, DOCS, NGINX, NVD, onProposedAnnotations } from './helpers';
import type { TFindingDraft } from '../types';

const SNIPPETS: { key: string; cve: string; extra: string }[] = [
  { key: 'configuration-snippet', cve: 'CVE-2021-25742', extra: 'It is pasted into the location block' },
  { key: 'server-snippet', cve: 'CVE-2021-25742', extra: 'It is pasted into the server block, for every path of the host' },
  { key: 'auth-snippet', cve: 'CVE-2021-25742', extra: 'It is pasted into the auth subrequest location' },
  { key: 'stream-snippet', cve: 'CVE-2021-25742', extra: 'It is pasted into the stream (TCP/UDP) block' },
  { key: 'modsecurity-snippet', cve: 'CVE-2023-5043', extra: 'It is pasted into the ModSecurity configuration' },
];

const snippetRules: TRiskRule[] = SNIPPETS.map(({ key, cve, extra }) => ({
  id: `nginx-${key}`,
  severity: 'critical',
  title: `ingress-nginx ${key}`,
  why: `${extra} of the shared controller verbatim: anyone who can set it can run arbitrary nginx directives, read the controller's service-account token and every Secret it can see (${cve}).`,
  reference: NVD(cve),
  check: (ctx) =>
    onProposedAnnotations(
      ctx,
      (k) => k === NGINX + key,
      (k) => `${k} injects raw nginx configuration`,
    ),
}));

// Values that ingress-nginx writes into nginx.conf; their specific CVEs each have a rule below, so
// the generic injection rule skips them to avoid two findings for one line.
const SPECIFIC_VALUE_KEYS = new Set(
  [
    'auth-url',
    'auth-tls-match-cn',
    'mirror-target',
    'mirror-host',
    'permanent-redirect',
    'temporal-redirect',
    ...SNIPPETS.map((s) => s.key),
  ].map((k) => NGINX + k),
);
const INJECTION_RE = /[\n\r;{}]|\blua|_by_lua|load_module|\/var\/run\/secrets/;
const AUTH_URL_RE = /["'\n\r;{}\\]|\s/;
const MATCH_CN_RE = /^CN=[\w\-.*| ]+$/;
const URLISH_BAD_RE = /["'\s;{}\\<>`]/;

const injectionRules: TRiskRule[] = [
  {
    id: 'nginx-auth-url-injection',
    severity: 'high',
    title: 'auth-url with configuration-breaking characters',
    why: 'ingress-nginx copies auth-url into nginx.conf; quotes, semicolons, braces or newlines end the directive and inject new ones (CVE-2025-24514, part of "IngressNightmare").',
    reference: NVD('CVE-2025-24514'),
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${NGINX}auth-url`,
        (k, v) => `${k} contains characters that break out of the directive: ${JSON.stringify(v)}`,
        (v) => AUTH_URL_RE.test(v),
      ),
  },
  {
    id: 'nginx-auth-tls-match-cn-injection',
    severity: 'high',
    title: 'auth-tls-match-cn outside the CN=… form',
    why: 'auth-tls-match-cn is written into nginx.conf; a value that is not a plain `CN=` pattern can inject configuration (CVE-2025-1097).',
    reference: NVD('CVE-2025-1097'),
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${NGINX}auth-tls-match-cn`,
        (k, v) => `${k} is not a plain CN= pattern: ${JSON.stringify(v)}`,
        (v) => !MATCH_CN_RE.test(v),
      ),
  },
  {
    id: 'nginx-mirror-injection',
    severity: 'high',
    title: 'mirror-target / mirror-host with unsafe characters',
    why: 'mirror-target and mirror-host are written into nginx.conf unescaped; quotes, spaces, semicolons or braces inject configuration (CVE-2025-1098). Mirroring also copies every request, credentials included, to that target.',
    reference: NVD('CVE-2025-1098'),
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${NGINX}mirror-target` || k === `${NGINX}mirror-host`,
        (k, v) => `${k} contains unsafe characters: ${JSON.stringify(v)}`,
        (v) => URLISH_BAD_RE.test(v),
      ),
  },
  {
    id: 'nginx-redirect-injection',
    severity: 'high',
    title: 'permanent-redirect / temporal-redirect that is not a plain URL',
    why: 'Redirect targets are written into nginx.conf; a value with spaces, quotes, semicolons or braces injects directives (CVE-2023-5044).',
    reference: NVD('CVE-2023-5044'),
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${NGINX}permanent-redirect` || k === `${NGINX}temporal-redirect`,
        (k, v) => `${k} is not a plain URL: ${JSON.stringify(v)}`,
        (v) => URLISH_BAD_RE.test(v) || !/^(https?:\/\/|\/)/.test(v),
      ),
  },
  {
    id: 'nginx-annotation-value-injection',
    severity: 'high',
    title: 'ingress-nginx annotation value with configuration syntax',
    why: 'Most ingress-nginx annotation values end up in nginx.conf. Newlines, `;`, `{`, `}`, Lua, `load_module` or `/var/run/secrets` in a value are the signature of configuration injection (CVE-2021-25746).',
    reference: NVD('CVE-2021-25746'),
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k.startsWith(NGINX) && !SPECIFIC_VALUE_KEYS.has(k),
        (k, v) => `${k} contains ${JSON.stringify(INJECTION_RE.exec(v)?.[0] ?? '')}, which ingress-nginx would write into nginx.conf`,
        (v) => INJECTION_RE.test(v),
      ),
  },
];

const RISKY_KEYS: { key: string; severity: 'high' | 'medium'; why: string }[] = [
  {
    key: 'server-alias',
    severity: 'high',
    why: 'server-alias adds extra host names to this server block, outside spec.rules: it can take over traffic for a host another team owns, and no host policy sees it.',
  },
  {
    key: 'auth-signin',
    severity: 'medium',
    why: 'auth-signin sends unauthenticated users to this URL; pointing it elsewhere enables credential phishing, and the value is written into nginx.conf.',
  },
  {
    key: 'auth-tls-error-page',
    severity: 'medium',
    why: 'auth-tls-error-page redirects failed client-certificate checks; the value is written into nginx.conf unescaped.',
  },
  {
    key: 'proxy-ssl-name',
    severity: 'medium',
    why: 'proxy-ssl-name overrides the name used to verify the upstream certificate; a wrong value silently weakens upstream TLS, and the value is written into nginx.conf.',
  },
  {
    key: 'upstream-hash-by',
    severity: 'medium',
    why: 'upstream-hash-by takes an nginx variable expression that is written into nginx.conf; a crafted value injects configuration, a bad one pins all traffic to one pod.',
  },
];

const riskyKeyRules: TRiskRule[] = RISKY_KEYS.map(({ key, severity, why }) => ({
  id: `nginx-${key}`,
  severity,
  title: `ingress-nginx ${key}`,
  why,
  reference: DOCS.nginxAnnotations,
  check: (ctx) =>
    onProposedAnnotations(
      ctx,
      (k) => k === NGINX + key,
      (k, v) => `${k} is set to ${JSON.stringify(v)}`,
    ),
}));

// A mirror target inside the cluster: a bare Service name, or a `…svc` / `…svc.cluster.local` name.
const CLUSTER_HOST_RE =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.svc(\.cluster\.local)?\.?$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The host of a mirror-target URL, or null when it cannot be read (variables, no scheme, …). */
function mirrorHost(v: string): string | null {
  const m = /^(?:https?:\/\/)?([^/:?#]*)/i.exec(v.trim());
  const host = m?.[1]?.toLowerCase() ?? '';
  return host === '' || /[^a-z0-9.-]/.test(host) ? null : host;
}

const mirrorRule: TRiskRule = {
  id: 'nginx-mirror-target',
  severity: 'high',
  title: 'Traffic mirror added or changed',
  why: 'mirror-target makes ingress-nginx copy every request of the location — headers, cookies, bearer tokens and bodies included — to another URL and ignore its answers. Pointed outside the cluster it hands all of that to a third party, whatever the URL looks like, so it is high; inside the cluster it still copies credentials to another Service (medium). mirror-host sets the Host header of those copies. The values are also written into nginx.conf (CVE-2025-1098).',
  reference: DOCS.nginxAnnotations + '#mirror',
  check: (ctx) => {
    const out: TFindingDraft[] = [];
    for (const a of changedAnnotations(ctx, (k) => k === `${NGINX}mirror-target` || k === `${NGINX}mirror-host`)) {
      if (a.change === 'removed' || a.after === null) continue;
      const isTarget = a.key === `${NGINX}mirror-target`;
      const target = isTarget ? a.after : (ctx.proposedAnnotations[`${NGINX}mirror-target`] ?? '');
      const host = isTarget ? mirrorHost(a.after) : a.after.trim().toLowerCase();
      const isInside = host !== null && CLUSTER_HOST_RE.test(host);
      out.push({
        message: isInside
          ? `${a.key} ${a.change}: every request is copied to ${host} (in the cluster)`
          : `${a.key} ${a.change}: every request, credentials and bodies included, is copied to ${host ?? JSON.stringify(isTarget ? a.after : target)}, outside the cluster`,
        path: annPath(a.key),
        severity: isInside ? 'medium' : 'high',
      });
    }
    return out;
  },
};

export const NGINX_RULES: TRiskRule[] = [...snippetRules, ...injectionRules, mirrorRule, ...riskyKeyRules];
