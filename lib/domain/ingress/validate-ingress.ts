import { formatPath } from './field-path';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIpAddress,
  isLabelValue,
  isPathSegmentName,
  isQualifiedName,
  isValidPortName,
  isValidPortNumber,
  isWildcardDns1123Subdomain,
} from './k8s-names';
import type { TIssue, TIssueCode, TPathSegment } from './types';

/** An issue that still carries its path as segments, so parse-ingress can find its source position. */
export type TLocatedIssue = TIssue & { segments: TPathSegment[] };

export type TValidateOptions = { namespace?: string };

/** Total size limit for all annotation keys + values (apimachinery TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'] as const;
// pkg/apis/networking/validation: invalidPathSequences / invalidPathSuffixes
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

// Strict field validation (kubectl's default since 1.27) rejects unknown fields; listing the known
// ones catches typos like `pathtype` or `servicePort` (the removed v1beta1 field names).
const KNOWN_FIELDS = {
  root: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  metadata: [
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ],
  spec: ['ingressClassName', 'defaultBackend', 'tls', 'rules'],
  tls: ['hosts', 'secretName'],
  rule: ['host', 'http'],
  http: ['paths'],
  path: ['path', 'pathType', 'backend'],
  backend: ['service', 'resource'],
  service: ['name', 'port'],
  port: ['name', 'number'],
  resource: ['apiGroup', 'kind', 'name'],
} as const;

type TRecord = Record<string, unknown>;

function isRecord(v: unknown): v is TRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

class IssueSink {
  readonly issues: TLocatedIssue[] = [];
  add(segments: TPathSegment[], code: TIssueCode, message: string): void {
    this.issues.push({ path: formatPath(segments), line: null, column: null, message, code, segments });
  }
  /** Go's JSON decoding treats null as "absent" for pointers, slices and maps. */
  map(v: unknown, at: TPathSegment[]): TRecord | null {
    if (v === undefined || v === null) return null;
    if (isRecord(v)) return v;
    this.add(at, 'type', `must be a map, got ${describe(v)}`);
    return null;
  }
  list(v: unknown, at: TPathSegment[]): unknown[] | null {
    if (v === undefined || v === null) return null;
    if (Array.isArray(v)) return v;
    this.add(at, 'type', `must be a list, got ${describe(v)}`);
    return null;
  }
  str(v: unknown, at: TPathSegment[]): string | null {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    this.add(at, 'type', `must be a string, got ${describe(v)}; quote it`);
    return null;
  }
  known(obj: TRecord, allowed: readonly string[], at: TPathSegment[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.add([...at, key], 'unknown-field', `unknown field "${key}"`);
    }
  }
  names(messages: string[], at: TPathSegment[], value: string): void {
    for (const m of messages) this.add(at, 'invalid', `Invalid value: ${JSON.stringify(value)}: ${m}`);
  }
}

/**
 * Validates an already-decoded object as a `networking.k8s.io/v1` Ingress the way the Kubernetes
 * API server does (pkg/apis/networking/validation, apimachinery ObjectMeta), so a change that passes
 * here is not rejected there for a reason we could have named. Returns [] when valid.
 *
 * Cases:
 * - not a map / wrong apiVersion / wrong kind → one issue, nothing else checked
 * - metadata: name required, DNS-1123 subdomain ≤253; namespace DNS-1123 label and equal to
 *   `opts.namespace` when both are given; label keys/values; annotation keys qualified names,
 *   values strings, total size ≤256 KiB; `kubernetes.io/ingress.class` must equal ingressClassName
 * - spec: rules or defaultBackend required; ingressClassName DNS-1123 subdomain
 * - rules: host not an IP, `*` only as the whole leftmost label, otherwise DNS-1123 subdomain;
 *   http.paths non-empty; pathType required and one of Exact/Prefix/ImplementationSpecific;
 *   Exact/Prefix paths absolute without `//`, `/./`, `/../`, `%2f` or a `/.`/`/..` suffix;
 *   ImplementationSpecific paths absolute when set
 * - backend: exactly one of service/resource; service name DNS-1035 label; port name (IANA) or
 *   number 1–65535, not both, not neither; resource kind and name required
 * - tls: hosts as rule hosts, secretName DNS-1123 subdomain
 * - wrong JSON types (`type`) and unknown fields (`unknown-field`) anywhere
 * Issues carry `line: null`; parseIngress fills positions from the source text.
 */
export function validateIngressObject(obj: unknown, opts: TValidateOptions = {}): TIssue[] {
  return collectIngressIssues(obj, opts).map(({ segments: _segments, ...issue }) => issue);
}

/** validateIngressObject, keeping path segments (for source positions). */
export function collectIngressIssues(obj: unknown, opts: TValidateOptions = {}): TLocatedIssue[] {
  const sink = new IssueSink();
  if (!isRecord(obj)) {
    sink.add([], 'not-an-object', `an Ingress must be a map, got ${describe(obj)}`);
    return sink.issues;
  }
  if (obj.kind !== 'Ingress') {
    sink.add(
      ['kind'],
      obj.kind === undefined ? 'required' : 'wrong-kind',
      obj.kind === undefined ? 'kind is required; expected "Ingress"' : `expected kind "Ingress", got ${describe(obj.kind)}`,
    );
    return sink.issues;
  }
  if (obj.apiVersion !== 'networking.k8s.io/v1') {
    const removed = obj.apiVersion === 'extensions/v1beta1' || obj.apiVersion === 'networking.k8s.io/v1beta1';
    sink.add(
      ['apiVersion'],
      removed ? 'removed-api-version' : 'unsupported-api-version',
      removed
        ? removedApiVersionMessage(String(obj.apiVersion))
        : `apiVersion must be "networking.k8s.io/v1", got ${describe(obj.apiVersion)}`,
    );
    return sink.issues;
  }
  sink.known(obj, KNOWN_FIELDS.root, []);
  const annotations = validateMetadata(sink, obj.metadata, opts);
  const spec = sink.map(obj.spec, ['spec']);
  if (obj.spec === undefined || obj.spec === null) {
    sink.add(['spec'], 'required', 'spec is required');
    return sink.issues;
  }
  if (spec) validateSpec(sink, spec, annotations);
  return sink.issues;
}

export function removedApiVersionMessage(apiVersion: string): string {
  return `${apiVersion} Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1 and spec.rules[].http.paths[].backend.service.{name,port} (with pathType on every path)`;
}

function validateMetadata(sink: IssueSink, raw: unknown, opts: TValidateOptions): TRecord | null {
  const at = ['metadata'];
  if (raw === undefined || raw === null) {
    sink.add(at, 'required', 'metadata is required');
    return null;
  }
  const meta = sink.map(raw, at);
  if (!meta) return null;
  sink.known(meta, KNOWN_FIELDS.metadata, at);

  const name = sink.str(meta.name, [...at, 'name']);
  if (name === null || name === '') {
    if (meta.name === undefined || meta.name === null || name === '') sink.add([...at, 'name'], 'required', 'name is required');
  } else {
    sink.names(isDns1123Subdomain(name), [...at, 'name'], name);
  }

  const ns = sink.str(meta.namespace, [...at, 'namespace']);
  if (ns) {
    sink.names(isDns1123Label(ns), [...at, 'namespace'], ns);
    if (opts.namespace !== undefined && ns !== opts.namespace) {
      sink.add(
        [...at, 'namespace'],
        'namespace-mismatch',
        `the manifest says namespace "${ns}" but the change targets namespace "${opts.namespace}"; remove metadata.namespace or make them match`,
      );
    }
  }

  const labels = sink.map(meta.labels, [...at, 'labels']);
  if (labels) {
    for (const [k, v] of Object.entries(labels)) {
      const p = [...at, 'labels', k];
      for (const m of isQualifiedName(k)) sink.add(p, 'invalid', `Invalid label key ${JSON.stringify(k)}: ${m}`);
      const value = sink.str(v, p);
      if (value !== null) sink.names(isLabelValue(value), p, value);
    }
  }

  const annotations = sink.map(meta.annotations, [...at, 'annotations']);
  if (annotations) {
    let total = 0;
    for (const [k, v] of Object.entries(annotations)) {
      const p = [...at, 'annotations', k];
      for (const m of isQualifiedName(k.toLowerCase())) sink.add(p, 'invalid', `Invalid annotation key ${JSON.stringify(k)}: ${m}`);
      total += k.length;
      if (typeof v === 'string') {
        total += v.length;
        continue;
      }
      if (v === null || v === undefined) continue;
      const hint = typeof v === 'object' ? '' : `; quote it: "${String(v)}"`;
      sink.add(p, 'annotation-not-string', `annotation values must be strings, got ${describe(v)}${hint}`);
    }
    if (total > ANNOTATIONS_SIZE_LIMIT) {
      sink.add(
        [...at, 'annotations'],
        'annotations-too-large',
        `Too long: annotations total ${total} bytes, must have at most ${ANNOTATIONS_SIZE_LIMIT} bytes`,
      );
    }
  }
  return annotations;
}

function validateSpec(sink: IssueSink, spec: TRecord, annotations: TRecord | null): void {
  const at = ['spec'];
  sink.known(spec, KNOWN_FIELDS.spec, at);

  const className = sink.str(spec.ingressClassName, [...at, 'ingressClassName']);
  if (className !== null) sink.names(isDns1123Subdomain(className), [...at, 'ingressClassName'], className);
  const annotationClass = annotations?.[INGRESS_CLASS_ANNOTATION];
  if (className !== null && typeof annotationClass === 'string' && annotationClass !== className) {
    sink.add(
      ['metadata', 'annotations', INGRESS_CLASS_ANNOTATION],
      'class-mismatch',
      `Invalid value: ${JSON.stringify(annotationClass)}: must match \`ingressClassName\` when both are specified`,
    );
  }

  const hasDefault = spec.defaultBackend !== undefined && spec.defaultBackend !== null;
  if (hasDefault) validateBackend(sink, spec.defaultBackend, [...at, 'defaultBackend']);

  const tls = sink.list(spec.tls, [...at, 'tls']);
  tls?.forEach((entry, i) => validateTls(sink, entry, [...at, 'tls', i]));

  const rules = sink.list(spec.rules, [...at, 'rules']);
  if ((rules === null || rules.length === 0) && !hasDefault) {
    sink.add(at, 'required', 'either `defaultBackend` or `rules` must be specified');
  }
  rules?.forEach((rule, i) => validateRule(sink, rule, [...at, 'rules', i]));
}

function validateHost(sink: IssueSink, host: string, at: TPathSegment[]): void {
  if (isIpAddress(host)) {
    sink.add(at, 'invalid', `Invalid value: ${JSON.stringify(host)}: must be a DNS name, not an IP address`);
    return;
  }
  sink.names(host.includes('*') ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host), at, host);
}

function validateTls(sink: IssueSink, raw: unknown, at: TPathSegment[]): void {
  const tls = sink.map(raw, at);
  if (!tls) return;
  sink.known(tls, KNOWN_FIELDS.tls, at);
  const hosts = sink.list(tls.hosts, [...at, 'hosts']);
  hosts?.forEach((h, i) => {
    const host = sink.str(h, [...at, 'hosts', i]);
    if (host !== null) validateHost(sink, host, [...at, 'hosts', i]);
  });
  const secret = sink.str(tls.secretName, [...at, 'secretName']);
  if (secret) sink.names(isDns1123Subdomain(secret), [...at, 'secretName'], secret);
}

function validateRule(sink: IssueSink, raw: unknown, at: TPathSegment[]): void {
  const rule = sink.map(raw, at);
  if (!rule) {
    if (raw === null) sink.add(at, 'invalid', 'a rule must not be null');
    return;
  }
  sink.known(rule, KNOWN_FIELDS.rule, at);
  const host = sink.str(rule.host, [...at, 'host']);
  if (host) validateHost(sink, host, [...at, 'host']);
  const http = sink.map(rule.http, [...at, 'http']);
  if (rule.http === undefined || rule.http === null) {
    // The API server accepts a rule with neither host nor http but it routes nothing; a rule
    // without http is only meaningful in v1beta1-era controllers. Name it rather than let it through.
    if (!host) sink.add(at, 'required', 'a rule needs a host or http.paths; this rule routes nothing');
    return;
  }
  if (!http) return;
  sink.known(http, KNOWN_FIELDS.http, [...at, 'http']);
  const paths = sink.list(http.paths, [...at, 'http', 'paths']);
  if (paths === null || paths.length === 0) {
    if (paths !== null || http.paths === undefined || http.paths === null)
      sink.add([...at, 'http', 'paths'], 'required', 'paths is required: at least one path');
    return;
  }
  paths.forEach((p, i) => validatePath(sink, p, [...at, 'http', 'paths', i]));
}

function validatePath(sink: IssueSink, raw: unknown, at: TPathSegment[]): void {
  const entry = sink.map(raw, at);
  if (!entry) return;
  sink.known(entry, KNOWN_FIELDS.path, at);
  const path = sink.str(entry.path, [...at, 'path']) ?? '';
  const pathType = sink.str(entry.pathType, [...at, 'pathType']);
  if (entry.pathType === undefined || entry.pathType === null) {
    sink.add([...at, 'pathType'], 'required', 'pathType must be specified (Exact, Prefix or ImplementationSpecific)');
  } else if (pathType !== null) {
    if (!(PATH_TYPES as readonly string[]).includes(pathType)) {
      sink.add(
        [...at, 'pathType'],
        'not-supported',
        `Unsupported value: ${JSON.stringify(pathType)}: supported values: "Exact", "ImplementationSpecific", "Prefix"`,
      );
    } else if (pathType === 'ImplementationSpecific') {
      if (path.length > 0 && !path.startsWith('/'))
        sink.add([...at, 'path'], 'invalid', `Invalid value: ${JSON.stringify(path)}: must be an absolute path`);
    } else {
      if (!path.startsWith('/')) sink.add([...at, 'path'], 'invalid', `Invalid value: ${JSON.stringify(path)}: must be an absolute path`);
      for (const seq of INVALID_PATH_SEQUENCES) {
        if (path.includes(seq)) sink.add([...at, 'path'], 'invalid', `Invalid value: ${JSON.stringify(path)}: must not contain '${seq}'`);
      }
      for (const suffix of INVALID_PATH_SUFFIXES) {
        if (path.endsWith(suffix))
          sink.add([...at, 'path'], 'invalid', `Invalid value: ${JSON.stringify(path)}: cannot end with '${suffix}'`);
      }
    }
  }
  if (entry.backend === undefined || entry.backend === null) {
    sink.add([...at, 'backend'], 'required', 'backend is required');
    return;
  }
  validateBackend(sink, entry.backend, [...at, 'backend']);
}

function validateBackend(sink: IssueSink, raw: unknown, at: TPathSegment[]): void {
  const backend = sink.map(raw, at);
  if (!backend) return;
  sink.known(backend, KNOWN_FIELDS.backend, at);
  const hasService = backend.service !== undefined && backend.service !== null;
  const hasResource = backend.resource !== undefined && backend.resource !== null;
  if (hasService && hasResource) {
    sink.add(at, 'invalid', 'cannot set both resource and service backends');
    return;
  }
  if (!hasService && !hasResource) {
    sink.add(at, 'required', 'resource or service backend is required');
    return;
  }
  if (hasResource) {
    const res = sink.map(backend.resource, [...at, 'resource']);
    if (!res) return;
    sink.known(res, KNOWN_FIELDS.resource, [...at, 'resource']);
    const apiGroup = sink.str(res.apiGroup, [...at, 'resource', 'apiGroup']);
    if (apiGroup) sink.names(isDns1123Subdomain(apiGroup), [...at, 'resource', 'apiGroup'], apiGroup);
    for (const field of ['kind', 'name'] as const) {
      const v = sink.str(res[field], [...at, 'resource', field]);
      if (!v) {
        if (res[field] === undefined || res[field] === null || v === '')
          sink.add([...at, 'resource', field], 'required', `${field} is required`);
        continue;
      }
      sink.names(isPathSegmentName(v), [...at, 'resource', field], v);
    }
    return;
  }
  const svcAt = [...at, 'service'];
  const svc = sink.map(backend.service, svcAt);
  if (!svc) return;
  sink.known(svc, KNOWN_FIELDS.service, svcAt);
  const name = sink.str(svc.name, [...svcAt, 'name']);
  if (!name) {
    if (svc.name === undefined || svc.name === null || name === '') sink.add([...svcAt, 'name'], 'required', 'service name is required');
  } else {
    sink.names(isDns1035Label(name), [...svcAt, 'name'], name);
  }
  if (svc.port === undefined || svc.port === null) {
    sink.add([...svcAt, 'port'], 'required', 'port name or number is required');
    return;
  }
  const port = sink.map(svc.port, [...svcAt, 'port']);
  if (!port) return;
  sink.known(port, KNOWN_FIELDS.port, [...svcAt, 'port']);
  const portName = sink.str(port.name, [...svcAt, 'port', 'name']);
  let portNumber: number | null = null;
  if (port.number !== undefined && port.number !== null) {
    if (typeof port.number === 'number' && Number.isInteger(port.number)) portNumber = port.number;
    else sink.add([...svcAt, 'port', 'number'], 'type', `must be an integer, got ${describe(port.number)}`);
  }
  // Go zero values: "" and 0 mean "not set".
  const hasName = portName !== null && portName !== '';
  const hasNumber = portNumber !== null && portNumber !== 0;
  if (hasName && hasNumber) {
    sink.add([...svcAt, 'port'], 'invalid', 'cannot set both port name & port number');
  } else if (hasName) {
    sink.names(isValidPortName(portName), [...svcAt, 'port', 'name'], portName);
  } else if (hasNumber && portNumber !== null) {
    for (const m of isValidPortNumber(portNumber)) sink.add([...svcAt, 'port', 'number'], 'invalid', `Invalid value: ${portNumber}: ${m}`);
  } else if (port.number === undefined || port.number === null || portNumber === 0) {
    sink.add([...svcAt, 'port'], 'required', 'port name or number is required');
  }
}
