import type { TClusterState, TRequestContext } from '../context';
import { send, sendStatus } from '../respond';
import { apiVersionOf, type TResourceInfo } from '../resources';
import { verbOf } from '../router';
import { badRequest, forbidden, methodNotAllowed, notFound, statusForCode, success } from '../status';
import type { TPrincipal } from '../types';
import { serveWatch } from '../watch';
import { serveWrite } from './write';

export type TObjectTarget = { target: 'collection' | 'item'; info: TResourceInfo; namespace: string | null; name?: string };

/** dryRun from the query and, for DELETE, from DeleteOptions in the body; only "All" is valid. */
function dryRunOf(ctx: TRequestContext): { ok: true; dryRun: boolean } | { ok: false; value: string } {
  const deleteBody = (ctx.method === 'DELETE' && ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Record<string, unknown>;
  const bodyDryRun = Array.isArray(deleteBody.dryRun) ? (deleteBody.dryRun as string[]) : [];
  const all = [...ctx.searchParams.getAll('dryRun'), ...bodyDryRun];
  const bad = all.find((v) => v !== 'All');
  return bad !== undefined ? { ok: false, value: bad } : { ok: true, dryRun: all.length > 0 };
}

function serveList(ctx: TRequestContext, cluster: TClusterState, info: TResourceInfo, namespace: string | null): void {
  // Listing in a namespace that does not exist is not an error in Kubernetes: an empty list.
  const items = cluster.store.list(info.resource, namespace).map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
  send(ctx.res, 200, {
    kind: info.listKind,
    apiVersion: apiVersionOf(info),
    metadata: { resourceVersion: String(cluster.store.resourceVersion) },
    items,
  });
}

/**
 * Resource requests: the verb from method and target (405 when none), per-verb RBAC of the
 * token (403 naming verb, resource and namespace), dryRun values, the field manager (the user
 * agent's first token unless given, as the API server defaults it), then the verb's handler.
 * PATCH is refused with 415: Ingress Gate writes with PUT and a resourceVersion precondition.
 */
export function serveObjects(ctx: TRequestContext, cluster: TClusterState, principal: TPrincipal, t: TObjectTarget): void {
  const { res, query } = ctx;
  const { info, namespace, name } = t;
  const verb = verbOf(ctx.method, t.target, query.watch === '1' || query.watch === 'true');
  if (!verb) return sendStatus(res, methodNotAllowed());
  const authzName = verb === 'create' ? undefined : name;
  if (!(principal.allow ?? (() => true))(verb, info.resource, namespace)) {
    return sendStatus(res, forbidden(info, authzName, principal.user, verb, namespace));
  }
  const dry = dryRunOf(ctx);
  if (!dry.ok) return sendStatus(res, badRequest(`Invalid dry run value: ${JSON.stringify(dry.value)}: supported values: "All"`));
  const fieldManager = query.fieldManager || (ctx.req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
  switch (verb) {
    case 'get': {
      const obj = cluster.store.get(info.resource, namespace, name!);
      return obj ? send(res, 200, obj) : sendStatus(res, notFound(info, name!));
    }
    case 'list':
      return serveList(ctx, cluster, info, namespace);
    case 'watch':
      return serveWatch(ctx.req, res, { info, namespace }, query, {
        store: cluster.store,
        registry: cluster.watches,
        bookmarkIntervalMs: cluster.bookmarkIntervalMs,
      });
    case 'patch':
      return sendStatus(res, {
        ...statusForCode(415),
        reason: 'UnsupportedMediaType',
        message: 'the fake API server does not implement PATCH; Ingress Gate writes with PUT and a resourceVersion precondition',
      });
    case 'create':
    case 'update':
      return serveWrite(ctx, cluster, principal, { info, namespace, name }, { verb, dryRun: dry.dryRun, fieldManager });
    case 'delete': {
      const deleteBody = (ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Record<string, unknown>;
      const pre = (deleteBody.preconditions ?? {}) as { resourceVersion?: string; uid?: string };
      const result = cluster.store.delete(info, namespace, name!, pre, { dryRun: dry.dryRun });
      if (!result.ok) return sendStatus(res, result.status);
      return send(res, 200, success(info, name!, result.object.metadata.uid));
    }
  }
}
