import { send, sendStatus } from '../respond';
import { methodNotAllowed } from '../status';
import type { TRequestContext } from '../context';
import type { TPrincipal, TVerb } from '../types';

/** GET /version — readable without credentials (system:public-info-viewer). */
export function serveVersion(ctx: TRequestContext, gitVersion: string): void {
  const [major, minor] = gitVersion.replace(/^v/, '').split('.');
  send(ctx.res, 200, {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-12-10T11:36:46Z',
    goVersion: 'go1.22.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  });
}

export function serveDiscovery(ctx: TRequestContext, body: Record<string, unknown>): void {
  if (ctx.method === 'GET') send(ctx.res, 200, body);
  else sendStatus(ctx.res, methodNotAllowed());
}

/** POST selfsubjectreviews: every authenticated user may ask who they are (system:basic-user), as on the real server. */
export function serveSelfSubjectReview(ctx: TRequestContext, principal: TPrincipal): void {
  if (ctx.method !== 'POST') return sendStatus(ctx.res, methodNotAllowed());
  send(ctx.res, 201, {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
    status: { userInfo: { username: principal.user, uid: `uid-${principal.user}`, groups: ['system:authenticated'] } },
  });
}

/** POST selfsubjectaccessreviews: the token's own per-verb rule decides. */
export function serveSelfSubjectAccessReview(ctx: TRequestContext, principal: TPrincipal): void {
  if (ctx.method !== 'POST') return sendStatus(ctx.res, methodNotAllowed());
  const spec = ((ctx.body as Record<string, unknown> | null)?.spec ?? {}) as Record<string, unknown>;
  const attrs = (spec.resourceAttributes ?? {}) as Record<string, string | undefined>;
  const allowed = (principal.allow ?? (() => true))((attrs.verb ?? '') as TVerb, attrs.resource ?? '', attrs.namespace || null);
  send(ctx.res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: allowed ? { allowed: true, reason: `RBAC: allowed by fake-kube-api for User "${principal.user}"` } : { allowed: false },
  });
}
