import {
  apiGroupList,
  apiVersions,
  authenticationResourceList,
  authorizationResourceList,
  coreResourceList,
  networkingResourceList,
  RESOURCES,
  type TResourceInfo,
  type TResourceName,
} from './resources';
import type { TVerb } from './types';

/** Which handler a path belongs to, with the resource, namespace and name it names. */
export type TRoute =
  | { kind: 'version' }
  | { kind: 'discovery'; body: Record<string, unknown> }
  | { kind: 'ssar' }
  | { kind: 'ssr' }
  | { kind: 'collection'; info: TResourceInfo; namespace: string | null }
  | { kind: 'item'; info: TResourceInfo; namespace: string | null; name: string }
  | { kind: 'unknown' };

const FIXED: Record<string, () => TRoute> = {
  '/version': () => ({ kind: 'version' }),
  '/api': () => ({ kind: 'discovery', body: apiVersions() }),
  '/apis': () => ({ kind: 'discovery', body: apiGroupList() }),
  '/api/v1': () => ({ kind: 'discovery', body: coreResourceList() }),
  '/apis/networking.k8s.io/v1': () => ({ kind: 'discovery', body: networkingResourceList() }),
  '/apis/authorization.k8s.io/v1': () => ({ kind: 'discovery', body: authorizationResourceList() }),
  '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews': () => ({ kind: 'ssar' }),
  '/apis/authentication.k8s.io/v1': () => ({ kind: 'discovery', body: authenticationResourceList() }),
  '/apis/authentication.k8s.io/v1/selfsubjectreviews': () => ({ kind: 'ssr' }),
};

function splitGroup(path: string): { group: string; rest: string } | null {
  if (path.startsWith('/api/v1/')) return { group: '', rest: path.slice('/api/v1/'.length) };
  if (path.startsWith('/apis/networking.k8s.io/v1/'))
    return { group: 'networking.k8s.io', rest: path.slice('/apis/networking.k8s.io/v1/'.length) };
  if (path.startsWith('/apis/admissionregistration.k8s.io/v1/'))
    return { group: 'admissionregistration.k8s.io', rest: path.slice('/apis/admissionregistration.k8s.io/v1/'.length) };
  return null;
}

/**
 * Maps a request path to a route. Cases: discovery and review endpoints by exact path;
 * `/api/v1/<r>[/<name>]` and `/apis/networking.k8s.io/v1/<r>[/<name>]` for cluster-scoped
 * resources; `.../namespaces/<ns>/<r>[/<name>]` for namespaced ones; `/api/v1/namespaces/<name>`
 * for a namespace; anything else (a resource of another group, a sub-resource) is unknown.
 */
export function route(path: string): TRoute {
  const fixed = FIXED[path];
  if (fixed) return fixed();
  const split = splitGroup(path);
  if (!split) return { kind: 'unknown' };
  const { group, rest } = split;
  const seg = rest.split('/').map(decodeURIComponent);
  const lookup = (r: string | undefined): TResourceInfo | null => {
    const info = r ? RESOURCES[r as TResourceName] : undefined;
    return info && info.group === group ? info : null;
  };
  if (seg.length === 1 || (seg.length === 2 && seg[0] !== 'namespaces')) {
    const info = lookup(seg[0]);
    if (!info) return { kind: 'unknown' };
    if (seg.length === 1) return { kind: 'collection', info, namespace: null };
    return info.namespaced ? { kind: 'unknown' } : { kind: 'item', info, namespace: null, name: seg[1]! };
  }
  if (seg[0] === 'namespaces' && seg.length === 2 && group === '')
    return { kind: 'item', info: RESOURCES.namespaces, namespace: null, name: seg[1]! };
  if (seg[0] === 'namespaces' && (seg.length === 3 || seg.length === 4)) {
    const info = lookup(seg[2]);
    if (!info || !info.namespaced) return { kind: 'unknown' };
    return seg.length === 3 ? { kind: 'collection', info, namespace: seg[1]! } : { kind: 'item', info, namespace: seg[1]!, name: seg[3]! };
  }
  return { kind: 'unknown' };
}

/** The RBAC verb of a request on a collection or an item; null when the method does not apply (405). */
export function verbOf(method: string, target: 'collection' | 'item', isWatch: boolean): TVerb | null {
  if (method === 'GET') return target === 'item' ? 'get' : isWatch ? 'watch' : 'list';
  if (target === 'collection') return method === 'POST' ? 'create' : null;
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return 'delete';
  return null;
}
