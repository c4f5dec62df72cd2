import { backendLabel, backendRef, hostCovers, tlsFor, type TBackendRef } from '../ingress/routing-table';
import type { TIngress, TPathType } from '../ingress/types';

export type TRouteMatch = {
  namespace: string;
  ingress: string;
  /** Index into spec.rules, or null when the defaultBackend answered. */
  ruleIndex: number | null;
  pathIndex: number | null;
  /** The rule's host ('' = any host), the matched path and its type; null for defaultBackend. */
  host: string | null;
  path: string | null;
  pathType: TPathType | null;
  matchedBy: 'exact-host' | 'wildcard-host' | 'any-host' | 'default-backend';
  backend: TBackendRef | null;
  backendLabel: string;
  /** The TLS secret serving the host, when the URL is https and a spec.tls entry covers it. */
  tls: { secretName: string } | null;
  /** https requested but no TLS entry of the serving Ingress covers the host. */
  isTlsMissing: boolean;
};

type TCandidate = {
  ingress: TIngress;
  ruleIndex: number;
  pathIndex: number;
  host: string;
  path: string;
  pathType: TPathType;
  elements: number;
};

function elementsOf(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

/** Kubernetes Prefix semantics: element-wise prefix, trailing slash ignored, `/foo` ∌ `/foobar`. */
function prefixMatches(prefix: string[], request: string[]): boolean {
  if (prefix.length > request.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== request[i]) return false;
  return true;
}

function hostClass(ruleHost: string, host: string): 'exact-host' | 'wildcard-host' | 'any-host' | null {
  if (ruleHost === '') return 'any-host';
  if (ruleHost === host) return 'exact-host';
  if (ruleHost.startsWith('*.') && hostCovers(ruleHost, host)) return 'wildcard-host';
  return null;
}

/**
 * Which backend serves `url` across a set of Ingresses (the route tester; call it with the
 * before and after sets).
 * Cases:
 * - host: exact host rules first; else a wildcard `*.x` (exactly one label); else host-less rules;
 *   the first tier with any rule for the host is the only one searched for a path
 * - path within that host tier: Exact (string equality) before Prefix; longest Prefix by path
 *   elements wins (`/foo` matches `/foo`, `/foo/`, `/foo/bar`, not `/foobar`);
 *   ImplementationSpecific is treated as Prefix; ties go to the Ingress listed first
 * - no path matches in that tier → the first Ingress with spec.defaultBackend (preferring one
 *   that has a rule for the host); none → null
 * - an unparsable URL → null
 */
export function resolveRoute(ingresses: readonly TIngress[], url: string): TRouteMatch | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const request = elementsOf(parsed.pathname);
  const isHttps = parsed.protocol === 'https:';
  const tiers: Record<'exact-host' | 'wildcard-host' | 'any-host', TCandidate[]> = {
    'exact-host': [],
    'wildcard-host': [],
    'any-host': [],
  };
  const hostOwners: TIngress[] = [];

  for (const ingress of ingresses) {
    ingress.spec?.rules?.forEach((rule, ruleIndex) => {
      const tier = hostClass(rule.host ?? '', host);
      if (!tier) return;
      if (tier !== 'any-host') hostOwners.push(ingress);
      rule.http?.paths?.forEach((p, pathIndex) => {
        const path = p.path || '/';
        tiers[tier].push({
          ingress,
          ruleIndex,
          pathIndex,
          host: rule.host ?? '',
          path,
          pathType: p.pathType,
          elements: elementsOf(path).length,
        });
      });
    });
  }

  for (const tier of ['exact-host', 'wildcard-host', 'any-host'] as const) {
    const candidates = tiers[tier];
    if (candidates.length === 0) continue;
    const exact = candidates.find((c) => c.pathType === 'Exact' && c.path === parsed.pathname);
    let best: TCandidate | undefined = exact;
    if (!best) {
      for (const c of candidates) {
        if (c.pathType === 'Exact') continue;
        if (!prefixMatches(elementsOf(c.path), request)) continue;
        if (!best || c.elements > best.elements) best = c;
      }
    }
    if (best) {
      const rawBackend = best.ingress.spec.rules?.[best.ruleIndex]?.http?.paths[best.pathIndex]?.backend;
      const backend = backendRef(rawBackend);
      return {
        ...identity(best.ingress),
        ruleIndex: best.ruleIndex,
        pathIndex: best.pathIndex,
        host: best.host,
        path: best.path,
        pathType: best.pathType,
        matchedBy: tier,
        backend,
        backendLabel: backendLabel(backend),
        ...tlsInfo(best.ingress, host, isHttps),
      };
    }
    // The host picks the server block; a path miss there goes to the default backend, never to a
    // less specific host tier (that is how ingress-nginx renders servers).
    break;
  }

  const fallback = hostOwners.find((i) => i.spec?.defaultBackend) ?? ingresses.find((i) => i.spec?.defaultBackend);
  if (!fallback) return null;
  const backend = backendRef(fallback.spec.defaultBackend);
  return {
    ...identity(fallback),
    ruleIndex: null,
    pathIndex: null,
    host: null,
    path: null,
    pathType: null,
    matchedBy: 'default-backend',
    backend,
    backendLabel: backendLabel(backend),
    ...tlsInfo(fallback, host, isHttps),
  };
}

function identity(ingress: TIngress): { namespace: string; ingress: string } {
  return { namespace: ingress.metadata?.namespace ?? '', ingress: ingress.metadata?.name ?? '' };
}

function tlsInfo(ingress: TIngress, host: string, isHttps: boolean): { tls: { secretName: string } | null; isTlsMissing: boolean } {
  if (!isHttps) return { tls: null, isTlsMissing: false };
  const entry = tlsFor(ingress.spec?.tls, host);
  return entry ? { tls: { secretName: entry.secretName ?? '' }, isTlsMissing: false } : { tls: null, isTlsMissing: true };
}
