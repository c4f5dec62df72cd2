import { renderYaml, type TRendered } from './canonical-yaml';
import { sha256Hex } from './sha256';
import type { TIngress } from './types';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

// Set by the API server, never by the author: they must not show up in a diff or change a hash.
const SERVER_METADATA = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

// Canonical key orders: the order `kubectl get -o yaml` uses for the fields people read first.
const ORDER = {
  root: ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'generateName', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences'],
  spec: ['ingressClassName', 'defaultBackend', 'tls', 'rules'],
  tls: ['hosts', 'secretName'],
  rule: ['host', 'http'],
  path: ['path', 'pathType', 'backend'],
  backend: ['service', 'resource'],
  service: ['name', 'port'],
  port: ['name', 'number'],
  resource: ['apiGroup', 'kind', 'name'],
} as const;

type TRec = Record<string, unknown>;

function isRec(v: unknown): v is TRec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's `omitempty`: the API server never returns null, "", [] or {} for optional fields. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRec(v)) return Object.keys(v).length === 0;
  return false;
}

/** Deep copy with sorted keys, for fields we do not model (kept, but in a stable order). */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (!isRec(v)) return v;
  const out: TRec = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedDeep(v[k]);
  return out;
}

/** Copies `src` in the given key order, then unknown keys sorted; `fields` normalises known ones. */
function ordered(
  src: TRec,
  order: readonly string[],
  fields: Record<string, (v: unknown) => unknown> = {},
  keepEmpty: readonly string[] = [],
): TRec {
  const out: TRec = {};
  const put = (k: string) => {
    const fn = fields[k];
    const v = fn ? fn(src[k]) : sortedDeep(src[k]);
    if (isEmpty(v) && !keepEmpty.includes(k)) return;
    out[k] = v;
  };
  for (const k of order) if (k in src) put(k);
  const rest = Object.keys(src)
    .filter((k) => !order.includes(k))
    .sort();
  for (const k of rest) put(k);
  return out;
}

function sortedStringMap(v: unknown, drop?: string): TRec | undefined {
  if (!isRec(v)) return undefined;
  const out: TRec = {};
  // Values are kept even when "" — an empty annotation or label value is meaningful.
  for (const k of Object.keys(v).sort()) if (k !== drop && v[k] !== null && v[k] !== undefined) out[k] = v[k];
  return out;
}

function list(fn: (v: unknown) => unknown) {
  return (v: unknown) => (Array.isArray(v) ? v.map(fn) : v);
}

function rec(fn: (v: TRec) => TRec) {
  return (v: unknown) => (isRec(v) ? fn(v) : v);
}

const port = rec((p) => {
  const out = ordered(p, ORDER.port);
  if (out.number === 0) delete out.number;
  return out;
});
const backend = rec((b) =>
  ordered(b, ORDER.backend, {
    service: rec((s) => ordered(s, ORDER.service, { port }, ['port'])),
    resource: rec((r) => ordered(r, ORDER.resource)),
  }),
);
const httpPath = rec((p) => ordered(p, ORDER.path, { backend }));
const rule = rec((r) => ordered(r, ORDER.rule, { http: rec((h) => ordered(h, ['paths'], { paths: list(httpPath) }, ['paths'])) }));
const tls = rec((t) => ordered(t, ORDER.tls));
const spec = rec((s) => ordered(s, ORDER.spec, { defaultBackend: backend, tls: list(tls), rules: list(rule) }));

/**
 * Canonical form of an Ingress, so that equal Ingresses compare, diff and hash equal.
 * Cases:
 * - drops `status` and server-set metadata (uid, resourceVersion, generation, creationTimestamp,
 *   deletionTimestamp, managedFields, selfLink) and the kubectl last-applied annotation
 * - drops what the API server omits (`omitempty`): null, "", [], {} and port number 0 — except
 *   `spec` and `http.paths`, and annotation/label values, where "" is a real value
 * - orders keys canonically (known fields in kubectl order, then the rest sorted; annotations
 *   and labels sorted by key); list order is kept because it is the author's
 * - idempotent: normaliseIngress(normaliseIngress(x)) deep-equals normaliseIngress(x)
 * Does not mutate its input.
 */
export function normaliseIngress(ingress: TIngress): TIngress {
  const src = ingress as unknown as TRec;
  const out = ordered(
    src,
    ORDER.root,
    {
      metadata: rec((m) => {
        const kept: TRec = {};
        for (const k of Object.keys(m)) if (!SERVER_METADATA.has(k)) kept[k] = m[k];
        return ordered(kept, ORDER.metadata, {
          labels: (v) => sortedStringMap(v),
          annotations: (v) => sortedStringMap(v, LAST_APPLIED_ANNOTATION),
        });
      }),
      spec,
    },
    ['spec'],
  );
  delete out.status;
  if (!isRec(out.spec)) out.spec = {};
  if (!isRec(out.metadata)) out.metadata = {};
  return out as unknown as TIngress;
}

/** Canonical YAML of the normalised Ingress: the text shown in the side-by-side diff. */
export function canonicalYaml(ingress: TIngress): string {
  return renderYaml(normaliseIngress(ingress) as unknown as TRec).yaml;
}

/** Canonical YAML plus a field path → line map, for an Ingress that is already normalised. */
export function renderNormalised(normalised: TIngress): TRendered {
  return renderYaml(normalised as unknown as TRec);
}

/** `sha256:<hex>` of the canonical JSON. The same Ingress written two ways (key order, quoting,
 * YAML vs JSON, with or without server fields) gives the same hash. */
export function contentHash(ingress: TIngress): string {
  return hashNormalised(normaliseIngress(ingress));
}

/** contentHash for an Ingress that is already normalised (skips the second normalisation). */
export function hashNormalised(normalised: TIngress): string {
  return `sha256:${sha256Hex(JSON.stringify(normalised))}`;
}
