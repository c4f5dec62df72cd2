import { describe, expect, it } from 'vitest';
import { fixture, STYLE_FIXTURES } from './__fixtures__';
import { parseIngress } from './parse-ingress';

const VALID = fixture('nginx-shop.yaml');

/** Replaces one line of the valid fixture (matched by its trimmed text) with `replacement`. */
function edit(from: string, to: string): string {
  const out = VALID.replace(from, to);
  if (out === VALID) throw new Error(`fixture edit did not apply: ${from}`);
  return out;
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('parseIngress: realistic manifests parse', () => {
  it.each(STYLE_FIXTURES)('%s', (name) => {
    const result = parseIngress(fixture(name));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('fills the namespace from the target when the manifest has none', () => {
    const r = parseIngress(VALID.replace('  namespace: shop\n', ''), { namespace: 'shop' });
    expect(r.ok && r.ingress.metadata.namespace).toBe('shop');
  });
});

type TCase = { name: string; text: string; code: string; path?: string; line?: number; message?: RegExp; opts?: { namespace?: string } };

const BIG = `${VALID}\n${'#'.repeat(80)}\n`.repeat(Math.ceil((256 * 1024) / VALID.length) + 1);
const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');

const CASES: TCase[] = [
  { name: 'empty text', text: '  \n# only a comment\n', code: 'empty' },
  { name: 'over 256 KiB', text: BIG, code: 'too-large' },
  { name: 'syntax error', text: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x\n', code: 'yaml-syntax' },
  { name: 'bad indentation', text: edit('  name: shop\n', '  name: shop\n   oops: 1\n'), code: 'yaml-syntax' },
  { name: 'JSON syntax error', text: '{"apiVersion": "networking.k8s.io/v1", "kind": }', code: 'yaml-syntax', message: /invalid JSON/ },
  {
    name: 'duplicate key',
    text: edit(
      '    app.kubernetes.io/part-of: storefront\n',
      '    app.kubernetes.io/part-of: storefront\n    app.kubernetes.io/name: again\n',
    ),
    code: 'duplicate-key',
    path: 'metadata.labels[app.kubernetes.io/name]',
    line: lineOf(VALID, 'part-of') + 1,
  },
  { name: 'duplicate key in JSON', text: '{"kind":"Ingress","kind":"Service"}', code: 'duplicate-key', path: 'kind', line: 1 },
  { name: 'alias bomb', text: bomb, code: 'alias-limit' },
  {
    name: 'two documents',
    text: `${VALID}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n`,
    code: 'multiple-documents',
    message: /2 documents \(Ingress shop, Service shop\)/,
  },
  {
    name: 'a Service',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n',
    code: 'wrong-kind',
    path: 'kind',
    line: 2,
    message: /"Service"/,
  },
  { name: 'not a map', text: '- a\n- b\n', code: 'not-an-object' },
  {
    name: 'extensions/v1beta1',
    text: fixture('v1beta1-legacy.yaml'),
    code: 'removed-api-version',
    path: 'apiVersion',
    line: 1,
    message: /removed in Kubernetes 1\.22; use networking\.k8s\.io\/v1/,
  },
  { name: 'networking.k8s.io/v1beta1', text: edit('networking.k8s.io/v1', 'networking.k8s.io/v1beta1'), code: 'removed-api-version' },
  { name: 'unknown apiVersion', text: edit('networking.k8s.io/v1', 'networking.k8s.io/v2'), code: 'unsupported-api-version' },
  {
    name: 'annotation value not a string (YAML 1.1 boolean)',
    text: edit('proxy-body-size: 8m', 'proxy-body-size: on'),
    code: 'annotation-not-string',
    path: 'metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]',
    line: lineOf(VALID, 'proxy-body-size'),
    message: /quote it/,
  },
  { name: 'annotation value a number', text: edit('proxy-body-size: 8m', 'proxy-body-size: 8'), code: 'annotation-not-string' },
  {
    name: 'namespace mismatch',
    text: VALID,
    opts: { namespace: 'payments' },
    code: 'namespace-mismatch',
    path: 'metadata.namespace',
    line: lineOf(VALID, 'namespace: shop'),
  },
  {
    name: 'missing pathType',
    text: edit('            pathType: Exact\n', ''),
    code: 'required',
    path: 'spec.rules[0].http.paths[2].pathType',
    line: lineOf(VALID, '- path: /healthz'),
  },
  {
    name: 'port number as string',
    text: edit('number: 8080', 'number: "8080"'),
    code: 'type',
    path: 'spec.rules[0].http.paths[2].backend.service.port.number',
    line: lineOf(VALID, 'number: 8080'),
  },
  {
    name: 'unknown field (v1beta1 servicePort)',
    text: edit('                  name: http\n', '                  name: http\n                servicePort: 80\n'),
    code: 'unknown-field',
    path: 'spec.rules[0].http.paths[1].backend.service.servicePort',
  },
  {
    name: 'host is an IP',
    text: edit('    - host: shop.example.com', '    - host: 10.1.2.3'),
    code: 'invalid',
    path: 'spec.rules[0].host',
    message: /not an IP address/,
  },
];

describe('parseIngress: every error class', () => {
  it.each(CASES)('$name → $code', ({ text, code, path, line, message, opts }) => {
    const r = parseIngress(text, opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues.find((i) => i.code === code);
    expect(issue, JSON.stringify(r.issues)).toBeDefined();
    if (path !== undefined) expect(issue?.path).toBe(path);
    if (line !== undefined) expect(issue?.line).toBe(line);
    if (message) expect(issue?.message).toMatch(message);
    if (issue?.line !== null) expect(issue?.column).toBeGreaterThanOrEqual(1);
  });
});
