import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture } from './__fixtures__';
import { validateIngressObject } from './validate-ingress';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TAny = any;
const BASE: TAny = parse(fixture('nginx-shop.yaml'));
const P0 = 'spec.rules[0].http.paths[0]';

function mutate(fn: (o: TAny) => void): unknown {
  const o = structuredClone(BASE);
  fn(o);
  return o;
}

type TCase = { name: string; obj: unknown; path: string; code: string; message?: RegExp; namespace?: string };

const CASES: TCase[] = [
  { name: 'not a map', obj: 'Ingress', path: '', code: 'not-an-object' },
  { name: 'kind missing', obj: mutate((o) => delete o.kind), path: 'kind', code: 'required' },
  { name: 'other kind', obj: mutate((o) => (o.kind = 'Gateway')), path: 'kind', code: 'wrong-kind' },
  {
    name: 'removed apiVersion',
    obj: mutate((o) => (o.apiVersion = 'networking.k8s.io/v1beta1')),
    path: 'apiVersion',
    code: 'removed-api-version',
    message: /1\.22/,
  },
  { name: 'metadata missing', obj: mutate((o) => delete o.metadata), path: 'metadata', code: 'required' },
  { name: 'name missing', obj: mutate((o) => delete o.metadata.name), path: 'metadata.name', code: 'required' },
  {
    name: 'name uppercase',
    obj: mutate((o) => (o.metadata.name = 'Shop')),
    path: 'metadata.name',
    code: 'invalid',
    message: /RFC 1123 subdomain/,
  },
  {
    name: 'name too long',
    obj: mutate((o) => (o.metadata.name = 'a'.repeat(254))),
    path: 'metadata.name',
    code: 'invalid',
    message: /253/,
  },
  {
    name: 'namespace invalid',
    obj: mutate((o) => (o.metadata.namespace = 'a.b')),
    path: 'metadata.namespace',
    code: 'invalid',
    message: /RFC 1123 label/,
  },
  { name: 'namespace mismatch', obj: BASE, namespace: 'other', path: 'metadata.namespace', code: 'namespace-mismatch' },
  { name: 'label key invalid', obj: mutate((o) => (o.metadata.labels['-bad'] = 'x')), path: 'metadata.labels[-bad]', code: 'invalid' },
  { name: 'label value invalid', obj: mutate((o) => (o.metadata.labels.team = 'a b')), path: 'metadata.labels.team', code: 'invalid' },
  {
    name: 'annotation key invalid',
    obj: mutate((o) => (o.metadata.annotations['a/b/c'] = 'x')),
    path: 'metadata.annotations[a/b/c]',
    code: 'invalid',
  },
  {
    name: 'annotation value boolean',
    obj: mutate((o) => (o.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect'] = true)),
    path: 'metadata.annotations[nginx.ingress.kubernetes.io/ssl-redirect]',
    code: 'annotation-not-string',
    message: /quote it: "true"/,
  },
  {
    name: 'annotations over 256 KiB',
    obj: mutate((o) => (o.metadata.annotations['example.com/blob'] = 'x'.repeat(256 * 1024))),
    path: 'metadata.annotations',
    code: 'annotations-too-large',
  },
  {
    name: 'class annotation differs from ingressClassName',
    obj: mutate((o) => (o.metadata.annotations['kubernetes.io/ingress.class'] = 'nginx-public')),
    path: 'metadata.annotations[kubernetes.io/ingress.class]',
    code: 'class-mismatch',
  },
  { name: 'unknown top-level field', obj: mutate((o) => (o.specs = {})), path: 'specs', code: 'unknown-field' },
  { name: 'spec missing', obj: mutate((o) => delete o.spec), path: 'spec', code: 'required' },
  {
    name: 'no rules and no defaultBackend',
    obj: mutate((o) => delete o.spec.rules),
    path: 'spec',
    code: 'required',
    message: /defaultBackend/,
  },
  { name: 'rules not a list', obj: mutate((o) => (o.spec.rules = { host: 'x' })), path: 'spec.rules', code: 'type' },
  {
    name: 'ingressClassName invalid',
    obj: mutate((o) => (o.spec.ingressClassName = 'Nginx_Private')),
    path: 'spec.ingressClassName',
    code: 'invalid',
  },
  {
    name: 'host is IPv4',
    obj: mutate((o) => (o.spec.rules[0].host = '192.168.1.10')),
    path: 'spec.rules[0].host',
    code: 'invalid',
    message: /not an IP address/,
  },
  {
    name: 'host is IPv6',
    obj: mutate((o) => (o.spec.rules[0].host = '::1')),
    path: 'spec.rules[0].host',
    code: 'invalid',
    message: /not an IP address/,
  },
  {
    name: 'host with port',
    obj: mutate((o) => (o.spec.rules[0].host = 'shop.example.com:443')),
    path: 'spec.rules[0].host',
    code: 'invalid',
  },
  { name: 'host uppercase', obj: mutate((o) => (o.spec.rules[0].host = 'Shop.example.com')), path: 'spec.rules[0].host', code: 'invalid' },
  {
    name: 'wildcard not leftmost',
    obj: mutate((o) => (o.spec.rules[0].host = 'shop.*.example.com')),
    path: 'spec.rules[0].host',
    code: 'invalid',
    message: /wildcard/,
  },
  {
    name: 'wildcard partial label',
    obj: mutate((o) => (o.spec.rules[0].host = 'shop*.example.com')),
    path: 'spec.rules[0].host',
    code: 'invalid',
    message: /wildcard/,
  },
  { name: 'rule with neither host nor http', obj: mutate((o) => o.spec.rules.push({})), path: 'spec.rules[1]', code: 'required' },
  {
    name: 'http without paths',
    obj: mutate((o) => (o.spec.rules[0].http = { paths: [] })),
    path: 'spec.rules[0].http.paths',
    code: 'required',
  },
  { name: 'pathType missing', obj: mutate((o) => delete o.spec.rules[0].http.paths[0].pathType), path: `${P0}.pathType`, code: 'required' },
  {
    name: 'pathType unsupported',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].pathType = 'Regex')),
    path: `${P0}.pathType`,
    code: 'not-supported',
  },
  {
    name: 'Prefix path relative',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].path = 'api')),
    path: `${P0}.path`,
    code: 'invalid',
    message: /absolute/,
  },
  {
    name: 'Exact path with //',
    obj: mutate((o) => (o.spec.rules[0].http.paths[2].path = '/a//b')),
    path: 'spec.rules[0].http.paths[2].path',
    code: 'invalid',
    message: /'\/\/'/,
  },
  {
    name: 'Prefix path with /../',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].path = '/a/../etc')),
    path: `${P0}.path`,
    code: 'invalid',
    message: /'\/\.\.\/'/,
  },
  {
    name: 'Prefix path with %2F',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].path = '/a%2Fb')),
    path: `${P0}.path`,
    code: 'invalid',
  },
  {
    name: 'Prefix path ending /.',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].path = '/a/.')),
    path: `${P0}.path`,
    code: 'invalid',
    message: /cannot end with/,
  },
  {
    name: 'ImplementationSpecific relative path',
    obj: mutate((o) => Object.assign(o.spec.rules[0].http.paths[0], { pathType: 'ImplementationSpecific', path: 'x' })),
    path: `${P0}.path`,
    code: 'invalid',
  },
  { name: 'backend missing', obj: mutate((o) => delete o.spec.rules[0].http.paths[0].backend), path: `${P0}.backend`, code: 'required' },
  { name: 'backend empty', obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend = {})), path: `${P0}.backend`, code: 'required' },
  {
    name: 'service and resource',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.resource = { kind: 'Bucket', name: 'b' })),
    path: `${P0}.backend`,
    code: 'invalid',
    message: /both/,
  },
  {
    name: 'service name missing',
    obj: mutate((o) => delete o.spec.rules[0].http.paths[0].backend.service.name),
    path: `${P0}.backend.service.name`,
    code: 'required',
  },
  {
    name: 'service name not DNS-1035',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.name = '1web')),
    path: `${P0}.backend.service.name`,
    code: 'invalid',
    message: /DNS-1035/,
  },
  {
    name: 'port missing',
    obj: mutate((o) => delete o.spec.rules[0].http.paths[0].backend.service.port),
    path: `${P0}.backend.service.port`,
    code: 'required',
  },
  {
    name: 'port name and number',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.port = { name: 'http', number: 80 })),
    path: `${P0}.backend.service.port`,
    code: 'invalid',
  },
  {
    name: 'port number 0',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.port = { number: 0 })),
    path: `${P0}.backend.service.port`,
    code: 'required',
  },
  {
    name: 'port number 70000',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.port.number = 70000)),
    path: `${P0}.backend.service.port.number`,
    code: 'invalid',
    message: /65535/,
  },
  {
    name: 'port number fractional',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.port.number = 80.5)),
    path: `${P0}.backend.service.port.number`,
    code: 'type',
  },
  {
    name: 'port name too long',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.port = { name: 'a-very-long-port-name' })),
    path: `${P0}.backend.service.port.name`,
    code: 'invalid',
    message: /15/,
  },
  {
    name: 'port name digits only',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend.service.port = { name: '8080' })),
    path: `${P0}.backend.service.port.name`,
    code: 'invalid',
    message: /letter/,
  },
  {
    name: 'resource kind missing',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend = { resource: { apiGroup: 'k8s.example.com', name: 'b' } })),
    path: `${P0}.backend.resource.kind`,
    code: 'required',
  },
  {
    name: 'resource name with /',
    obj: mutate((o) => (o.spec.rules[0].http.paths[0].backend = { resource: { kind: 'Bucket', name: 'a/b' } })),
    path: `${P0}.backend.resource.name`,
    code: 'invalid',
  },
  {
    name: 'tls host invalid',
    obj: mutate((o) => (o.spec.tls[0].hosts[0] = 'shop_example.com')),
    path: 'spec.tls[0].hosts[0]',
    code: 'invalid',
  },
  {
    name: 'tls secretName invalid',
    obj: mutate((o) => (o.spec.tls[0].secretName = 'Shop TLS')),
    path: 'spec.tls[0].secretName',
    code: 'invalid',
  },
  { name: 'tls unknown field', obj: mutate((o) => (o.spec.tls[0].secret = 'x')), path: 'spec.tls[0].secret', code: 'unknown-field' },
  {
    name: 'defaultBackend invalid',
    obj: mutate((o) => (o.spec.defaultBackend = { service: { name: 'web' } })),
    path: 'spec.defaultBackend.service.port',
    code: 'required',
  },
];

describe('validateIngressObject mirrors the API server', () => {
  it('accepts a valid Ingress', () => {
    expect(validateIngressObject(BASE, { namespace: 'shop' })).toEqual([]);
  });

  it('accepts defaultBackend without rules, wildcard hosts and named ports', () => {
    const obj = mutate((o) => {
      o.spec = { defaultBackend: { service: { name: 'fallback', port: { name: 'http' } } }, tls: [{ hosts: ['*.example.com'] }] };
    });
    expect(validateIngressObject(obj)).toEqual([]);
  });

  it.each(CASES)('$name → $code at $path', ({ obj, path, code, message, namespace }) => {
    const issues = validateIngressObject(obj, { namespace });
    const hit = issues.find((i) => i.path === path && i.code === code);
    expect(hit, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(hit?.line).toBeNull();
    if (message) expect(hit?.message).toMatch(message);
  });
});
