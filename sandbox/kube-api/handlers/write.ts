import { randomBytes } from 'node:crypto';
import { runAdmission } from '../admission';
import type { TClusterState, TRequestContext } from '../context';
import { send, sendStatus } from '../respond';
import { RESOURCES, type TResourceInfo } from '../resources';
import { badRequest, notFound } from '../status';
import type { TPrincipal } from '../types';
import { validateWrite } from '../validate-write';

export type TWriteTarget = { info: TResourceInfo; namespace: string | null; name: string | undefined };
export type TWriteMode = { verb: 'create' | 'update'; dryRun: boolean; fieldManager: string };

/**
 * POST (create) and PUT (update) in the real server's order: decode checks, name defaulting
 * (generateName, the URL's name), NamespaceLifecycle, validation, validating admission (dry runs
 * too), then the store's preconditions (resourceVersion, uniqueness).
 */
export function serveWrite(
  ctx: TRequestContext,
  cluster: TClusterState,
  principal: TPrincipal,
  { info, namespace, name }: TWriteTarget,
  { verb, dryRun, fieldManager }: TWriteMode,
): void {
  const { res, body } = ctx;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return sendStatus(res, badRequest('the request body must be a JSON object'));
  const obj = body as Record<string, unknown>;
  const meta = (obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {}) as Record<string, unknown>;
  if (verb === 'create' && !meta.name && typeof meta.generateName === 'string') {
    obj.metadata = { ...meta, name: `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}` };
  }
  if (verb === 'create' && meta.resourceVersion) {
    return sendStatus(res, badRequest('resourceVersion should not be set on objects to be created'));
  }
  if (verb === 'update' && meta.name !== undefined && meta.name !== name) {
    return sendStatus(res, badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`));
  }
  if (verb === 'update' && meta.name === undefined) obj.metadata = { ...meta, name };
  // The real server's order: NamespaceLifecycle (mutating admission) refuses a write into a
  // missing namespace before validation runs, so an invalid object there is a 404, not a 422.
  if (namespace !== null && !cluster.store.get('namespaces', null, namespace)) {
    return sendStatus(res, notFound(RESOURCES.namespaces, namespace));
  }
  const v = validateWrite(info, namespace, obj);
  if (!v.ok) return sendStatus(res, v.status);
  const operation = verb === 'create' ? 'CREATE' : 'UPDATE';
  const denied = runAdmission(cluster.admission, info, obj, operation, principal.user, String(meta.name ?? name ?? ''));
  if (denied) return sendStatus(res, denied);
  const result =
    verb === 'create'
      ? cluster.store.create(info, namespace, obj, { dryRun, fieldManager })
      : cluster.store.update(info, namespace, name!, obj, { dryRun, fieldManager });
  if (!result.ok) return sendStatus(res, result.status);
  send(res, verb === 'create' ? 201 : 200, result.object);
}
