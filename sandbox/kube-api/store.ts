import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { apiVersionOf, RESOURCES, type TResourceInfo, type TResourceName } from './resources';
import { alreadyExists, conflict, notFound, OBJECT_MODIFIED, type TStatus } from './status';

/**
 * The fake cluster's object store. Like etcd behind the API server: one global resourceVersion
 * counter bumped on every write, objects keyed by resource/namespace/name, and an event log of
 * every write (what watch replays from a resourceVersion; old entries fall off and a watch from
 * before the oldest one gets 410 Gone, as with etcd compaction).
 */
export type TObject = Record<string, unknown> & { metadata: TMeta };
export type TMeta = Record<string, unknown> & {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: TManagedField[];
};
export type TManagedField = {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
};

export type TEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type TWatchEvent = { rv: number; type: TEventType; resource: TResourceName; namespace: string | null; object: TObject };

type TPersisted = { version: 1; resourceVersion: number; objects: Record<string, TObject> };

export type TWriteResult = { ok: true; object: TObject } | { ok: false; status: TStatus };
export type TWriteOptions = { dryRun: boolean; fieldManager: string };

const EVENT_LOG_LIMIT = 1000;

export function kubeTime(d: Date): string {
  // RFC 3339 with whole seconds, as metav1.Time marshals.
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** JSON with sorted keys: clients serialise fields in their own order, which must not count as a change. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function keyOf(resource: TResourceName, namespace: string | null, name: string): string {
  return `${resource}/${namespace ?? ''}/${name}`;
}

/** A coarse fieldsV1 (top-level keys under spec/metadata) — enough to tell managers apart. */
function fieldsOf(obj: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const meta = obj.metadata as Record<string, unknown> | undefined;
  const metaFields: Record<string, unknown> = {};
  for (const k of ['labels', 'annotations']) {
    const v = meta?.[k];
    if (v && typeof v === 'object') metaFields[`f:${k}`] = Object.fromEntries(Object.keys(v).map((key) => [`f:${key}`, {}]));
  }
  if (Object.keys(metaFields).length) fields['f:metadata'] = metaFields;
  const spec = obj.spec;
  if (spec && typeof spec === 'object') fields['f:spec'] = Object.fromEntries(Object.keys(spec).map((k) => [`f:${k}`, {}]));
  return fields;
}

function withManager(
  existing: TManagedField[] | undefined,
  manager: string,
  apiVersion: string,
  obj: Record<string, unknown>,
  now: Date,
): TManagedField[] {
  const rest = (existing ?? []).filter((m) => !(m.manager === manager && m.operation === 'Update'));
  return [...rest, { manager, operation: 'Update', apiVersion, time: kubeTime(now), fieldsType: 'FieldsV1', fieldsV1: fieldsOf(obj) }];
}

export class KubeStore {
  private rv = 0;
  private objects = new Map<string, TObject>();
  private events: TWatchEvent[] = [];
  private listeners = new Set<(e: TWatchEvent) => void>();

  constructor(
    private readonly stateFile?: string,
    private readonly eventLogLimit = EVENT_LOG_LIMIT,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.load();
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumableVersion(): number {
    return this.events[0] ? this.events[0].rv - 1 : this.rv;
  }

  eventsSince(rv: number): TWatchEvent[] {
    return this.events.filter((e) => e.rv > rv);
  }

  subscribe(fn: (e: TWatchEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get(resource: TResourceName, namespace: string | null, name: string): TObject | null {
    const obj = this.objects.get(keyOf(resource, namespace, name));
    return obj ? clone(obj) : null;
  }

  list(resource: TResourceName, namespace: string | null): TObject[] {
    const info = RESOURCES[resource];
    return [...this.objects.values()]
      .filter((o) => o.kind === info.kind && (namespace === null || o.metadata.namespace === namespace))
      .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`))
      .map(clone);
  }

  create(info: TResourceInfo, namespace: string | null, input: Record<string, unknown>, opts: TWriteOptions): TWriteResult {
    const inMeta = (input.metadata ?? {}) as Record<string, unknown>;
    const name = String(inMeta.name ?? '');
    if (this.objects.has(keyOf(info.resource, namespace, name))) return { ok: false, status: alreadyExists(info, name) };
    const now = this.clock();
    const obj = clone(input) as TObject;
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    // Server-owned metadata is never taken from the client.
    const meta: TMeta = {
      ...(obj.metadata as Record<string, unknown>),
      name,
      ...(namespace ? { namespace } : {}),
      uid: randomUUID(),
      resourceVersion: '',
      creationTimestamp: kubeTime(now),
    };
    delete meta.deletionTimestamp;
    delete meta.selfLink;
    if (info.resource === 'ingresses' || info.resource === 'ingressclasses') meta.generation = 1;
    else delete meta.generation;
    meta.managedFields = withManager(undefined, opts.fieldManager, apiVersionOf(info), obj, now);
    obj.metadata = meta;
    if (info.resource === 'ingresses') obj.status = { loadBalancer: {} };
    if (info.resource === 'namespaces') {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      meta.labels = { ...((meta.labels as Record<string, string>) ?? {}), 'kubernetes.io/metadata.name': name };
    }
    // A dry-run create is answered as if written, but gets no resourceVersion (nothing stored).
    if (opts.dryRun) return { ok: true, object: obj };
    meta.resourceVersion = String(this.bump());
    this.commit(info, namespace, obj, 'ADDED');
    return { ok: true, object: clone(obj) };
  }

  update(info: TResourceInfo, namespace: string | null, name: string, input: Record<string, unknown>, opts: TWriteOptions): TWriteResult {
    const current = this.objects.get(keyOf(info.resource, namespace, name));
    // Ingress, Service, IngressClass and Namespace strategies do not allow create-on-update.
    if (!current) return { ok: false, status: notFound(info, name) };
    const inMeta = (input.metadata ?? {}) as Record<string, unknown>;
    const expected = inMeta.resourceVersion;
    // An empty resourceVersion is an unconditional update (AllowUnconditionalUpdate); any other
    // value is an optimistic-concurrency precondition.
    if (expected !== undefined && expected !== '' && String(expected) !== current.metadata.resourceVersion) {
      return { ok: false, status: conflict(info, name, OBJECT_MODIFIED) };
    }
    const now = this.clock();
    const next = clone(input) as TObject;
    next.apiVersion = apiVersionOf(info);
    next.kind = info.kind;
    const meta: TMeta = {
      ...(next.metadata as Record<string, unknown>),
      name,
      ...(namespace ? { namespace } : {}),
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
    };
    if (current.metadata.generation !== undefined) {
      const specChanged = canonical(next.spec ?? null) !== canonical(current.spec ?? null);
      meta.generation = current.metadata.generation + (specChanged ? 1 : 0);
    }
    meta.managedFields = withManager(current.metadata.managedFields, opts.fieldManager, apiVersionOf(info), next, now);
    next.metadata = meta;
    // status is a subresource: the main resource's PUT never changes it.
    if ('status' in current) next.status = clone(current.status);
    else delete next.status;
    if (opts.dryRun) return { ok: true, object: next };
    // A no-op update does not bump resourceVersion (the API server skips the etcd write).
    if (canonical(stripVolatile(next)) === canonical(stripVolatile(current))) return { ok: true, object: clone(current) };
    meta.resourceVersion = String(this.bump());
    this.commit(info, namespace, next, 'MODIFIED');
    return { ok: true, object: clone(next) };
  }

  delete(
    info: TResourceInfo,
    namespace: string | null,
    name: string,
    precondition: { resourceVersion?: string; uid?: string },
    opts: { dryRun: boolean },
  ): TWriteResult {
    const key = keyOf(info.resource, namespace, name);
    const current = this.objects.get(key);
    if (!current) return { ok: false, status: notFound(info, name) };
    if (precondition.uid && precondition.uid !== current.metadata.uid) {
      return {
        ok: false,
        status: conflict(
          info,
          name,
          `Precondition failed: UID in precondition: ${precondition.uid}, UID in object meta: ${current.metadata.uid}`,
        ),
      };
    }
    if (precondition.resourceVersion && precondition.resourceVersion !== current.metadata.resourceVersion) {
      return {
        ok: false,
        status: conflict(
          info,
          name,
          `Precondition failed: ResourceVersion in precondition: ${precondition.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        ),
      };
    }
    if (opts.dryRun) return { ok: true, object: clone(current) };
    this.objects.delete(key);
    const gone = clone(current);
    gone.metadata.resourceVersion = String(this.bump());
    if (info.resource === 'namespaces') {
      // No finalizer dance: a deleted namespace takes its contents with it at once.
      for (const [k, o] of [...this.objects]) if (o.metadata.namespace === name) this.objects.delete(k);
    }
    this.record({ rv: this.rv, type: 'DELETED', resource: info.resource, namespace, object: gone });
    this.save();
    return { ok: true, object: gone };
  }

  /** Out-of-band write (seed, `kubectl edit`): no validation, no preconditions. */
  put(info: TResourceInfo, obj: TObject, manager: string): TObject {
    const namespace = info.namespaced ? (obj.metadata.namespace ?? 'default') : null;
    const key = keyOf(info.resource, namespace, obj.metadata.name);
    const current = this.objects.get(key);
    const now = this.clock();
    const next = clone(obj);
    next.apiVersion = apiVersionOf(info);
    next.kind = info.kind;
    const meta = next.metadata;
    meta.uid = current?.metadata.uid ?? meta.uid ?? randomUUID();
    meta.creationTimestamp = current?.metadata.creationTimestamp ?? meta.creationTimestamp ?? kubeTime(now);
    if (namespace) meta.namespace = namespace;
    if (info.resource === 'ingresses' || info.resource === 'ingressclasses') {
      const specChanged = !current || canonical(next.spec ?? null) !== canonical(current.spec ?? null);
      meta.generation = (current?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
    }
    meta.managedFields = withManager(current?.metadata.managedFields ?? meta.managedFields, manager, apiVersionOf(info), next, now);
    meta.resourceVersion = String(this.bump());
    this.commit(info, namespace, next, current ? 'MODIFIED' : 'ADDED');
    return clone(next);
  }

  reset(): void {
    this.objects.clear();
    this.events = [];
    this.save();
  }

  private bump(): number {
    this.rv += 1;
    return this.rv;
  }

  private commit(info: TResourceInfo, namespace: string | null, obj: TObject, type: TEventType): void {
    this.objects.set(keyOf(info.resource, namespace, obj.metadata.name), obj);
    this.record({ rv: Number(obj.metadata.resourceVersion), type, resource: info.resource, namespace, object: clone(obj) });
    this.save();
  }

  private record(e: TWatchEvent): void {
    this.events.push(e);
    if (this.events.length > this.eventLogLimit) this.events.splice(0, this.events.length - this.eventLogLimit);
    for (const fn of this.listeners) fn(e);
  }

  private load(): void {
    if (!this.stateFile || !existsSync(this.stateFile)) return;
    const data = JSON.parse(readFileSync(this.stateFile, 'utf8')) as TPersisted;
    if (data.version !== 1) throw new Error(`sandbox: unsupported state file version in ${this.stateFile}`);
    this.rv = data.resourceVersion;
    this.objects = new Map(Object.entries(data.objects));
  }

  private save(): void {
    if (!this.stateFile) return;
    const data: TPersisted = { version: 1, resourceVersion: this.rv, objects: Object.fromEntries(this.objects) };
    mkdirSync(dirname(this.stateFile), { recursive: true });
    // Write-then-rename: a crash mid-write never leaves a truncated state file.
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, this.stateFile);
  }
}

function stripVolatile(o: TObject): unknown {
  const { managedFields: _mf, resourceVersion: _rv, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}
