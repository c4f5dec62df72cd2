import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__';
import { MAX_ALIAS_COUNT, MAX_DEPTH, MAX_LINE_LENGTH, parseIngress } from './parse-ingress';
import type { TIssue } from './types';

// Table tests for the text-level classes of issue 13 (encoding, depth, aliases and merge keys,
// tags, locations) and issue 12 item 7 (names go-yaml reads as strings). Rows come from the YAML
// 1.1 spec (https://yaml.org/spec/1.1/ §4.1.5 merge "<<", §7.4 tags, float/int regexps at
// https://yaml.org/type/), go-yaml v2's resolve.go (what sigs.k8s.io/yaml and so the API server
// use) and the Kubernetes object docs, not only from the issue's examples.

const VALID = fixture('nginx-shop.yaml');

function edit(from: string, to: string): string {
  const out = VALID.replace(from, to);
  if (out === VALID) throw new Error(`fixture edit did not apply: ${from}`);
  return out;
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

function issues(text: string): TIssue[] {
  const r = parseIngress(text);
  return r.ok ? [] : r.issues;
}

const MINIMAL = (name: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n`;

describe('issue 12.7: plain scalars are typed like go-yaml v2', () => {
  // go-yaml's float needs a digit before or after the dot; `e1` has neither, so it is a string.
  it.each(['e1', 'e10', 'e-1', 'e', 'e1x', 'inf', 'nan', 'x1e3'])('name: %s is a valid name (a string)', (name) => {
    const r = parseIngress(MINIMAL(name));
    expect(r.ok ? r.ingress.metadata.name : r.issues).toBe(name);
  });

  // Numbers in go-yaml: ints (decimal, 0x, 0 octal, 0b) and floats with digits → "must be a string".
  it.each(['1e3', '10', '0x1F', '1.5', '.5', '1_000', '-1'])('name: %s is a number, refused like the API server does', (name) => {
    const found = issues(MINIMAL(name));
    expect(found).toEqual([expect.objectContaining({ code: 'type', path: 'metadata.name', line: 4 })]);
  });

  it.each([
    ['on', true],
    ['yes', true],
    ['off', false],
    ['~', null],
    ['.inf', Infinity],
    ['12:30', '12:30'], // sexagesimal is not in go-yaml v2
    ['2001-12-14', '2001-12-14'],
    ['.', '.'],
  ])('annotation value %s reads as %s', (raw, expected) => {
    const text = edit('proxy-body-size: 8m', `proxy-body-size: ${raw}`);
    const r = parseIngress(text);
    if (typeof expected === 'string')
      expect(r.ok ? r.ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] : r.issues).toBe(expected);
    else expect(r.ok ? 'parsed' : r.issues.map((i) => i.code)).toEqual(expected === null ? 'parsed' : ['annotation-not-string']);
  });
});

describe('class 1: encoding', () => {
  it.each([
    ['a raw NUL in a value', edit('name: shop\n', 'name: sh\u0000op\n'), 5, 11],
    ['a raw BEL in a comment', edit('# ingress-nginx', '# ingress\u0007nginx'), 1, 10],
    ['ESC in an annotation', edit('basic', 'ba\u001bsic'), 14, 46],
    ['DEL', edit('storefront\n', 'storefront\u007f\n'), 9, 42],
    ['a C1 control (NEL)', edit('name: shop\n', 'name: shop\u0085\n'), 5, 13],
    ['an unpaired surrogate', edit('name: shop\n', 'name: shop\ud800\n'), 5, 13],
  ])('%s → encoding at its line and column', (_name, text, line, column) => {
    expect(issues(text)).toEqual([expect.objectContaining({ code: 'encoding', line, column })]);
  });

  it.each([
    ['"\\0" (YAML escape)', '"sh\\0op"'],
    ['"\\x07" (YAML escape)', '"sh\\x07op"'],
    ['"\\u0000"', '"sh\\u0000op"'],
    ['"\\e"', '"sh\\eop"'],
  ])('a control character written as %s is refused at its field', (_name, value) => {
    const text = edit('auth-secret: shop-basic-auth', `auth-secret: ${value}`);
    expect(issues(text)).toEqual([
      expect.objectContaining({
        code: 'encoding',
        path: 'metadata.annotations[nginx.ingress.kubernetes.io/auth-secret]',
        line: lineOf(text, 'auth-secret'),
      }),
    ]);
  });

  it('a NUL escape in JSON is refused with its path', () => {
    const text = '{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"a\\u0000b"},"spec":{}}';
    expect(issues(text)).toEqual([expect.objectContaining({ code: 'encoding', path: 'metadata.name', line: 1 })]);
  });

  it('tabs, CRLF line endings and non-ASCII text are fine', () => {
    const text = VALID.replace(/\n/g, '\r\n').replace('# ingress-nginx style', '#\tingress-nginx style — café');
    expect(issues(text)).toEqual([]);
  });
});

describe('class 2: depth, size and line length are explicit limits', () => {
  const flow = (n: number) => `${MINIMAL('deep').trimEnd()}\n  x: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const block = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n';

  it.each([
    ['flow, just over the limit', flow(MAX_DEPTH), 11],
    ['flow, 5,000 levels', flow(5000), 11],
    ['flow, 100,000 levels (over the size limit too? no: 200 KB)', flow(100_000), 11],
  ])('%s → one too-deep issue, no stack overflow', (_name, text, line) => {
    const found = issues(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'too-deep', line, path: expect.stringMatching(/^spec\.x(\[0\])+$/) });
  });

  it('block maps nested past the limit report the line and path of the first level too deep', () => {
    // Line n holds the map at depth n; the map at depth MAX_DEPTH + 1 is the value of the
    // (MAX_DEPTH)th `a`.
    const found = issues(block(200));
    expect(found).toEqual([expect.objectContaining({ code: 'too-deep', line: MAX_DEPTH + 1, path: Array(MAX_DEPTH).fill('a').join('.') })]);
  });

  it('block sequences nested 500 deep', () => {
    const text = Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}-`).join('\n') + ' 1\n';
    expect(issues(text)).toEqual([expect.objectContaining({ code: 'too-deep', line: MAX_DEPTH + 1 })]);
  });

  it('nesting exactly at the limit is not a depth error', () => {
    expect(issues(block(MAX_DEPTH)).map((i) => i.code)).not.toContain('too-deep');
  });

  it('gives the same single answer however deep the caller’s stack already is', () => {
    const text = flow(20_000);
    const direct = parseIngress(text);
    const nested = (n: number): unknown => (n === 0 ? parseIngress(text) : nested(n - 1));
    expect(nested(3000)).toStrictEqual(direct);
    expect(parseIngress(text)).toStrictEqual(direct);
  });

  it('too-large names the line where 256 KiB is crossed', () => {
    const line = `#${'x'.repeat(99)}\n`; // 101 bytes
    const text = line.repeat(3000);
    const found = issues(text);
    expect(found).toEqual([expect.objectContaining({ code: 'too-large', line: Math.floor((256 * 1024) / 101) + 1 })]);
    expect(found[0]?.message).toMatch(/303000 bytes; the limit is 262144 bytes/);
  });

  it('too-large counts UTF-8 bytes, not characters', () => {
    const text = `# ${'é'.repeat(140_000)}\n`; // 280,003 bytes in 140,003 characters
    expect(issues(text).map((i) => i.code)).toEqual(['too-large']);
  });

  it('a line over the limit is refused with its line, column and path', () => {
    const long = 'x'.repeat(MAX_LINE_LENGTH + 10);
    const text = edit('auth-secret: shop-basic-auth', `auth-secret: ${long}`);
    expect(issues(text)).toEqual([
      expect.objectContaining({
        code: 'line-too-long',
        line: lineOf(text, 'auth-secret'),
        column: MAX_LINE_LENGTH + 1,
        path: 'metadata.annotations[nginx.ingress.kubernetes.io/auth-secret]',
      }),
    ]);
  });
});

describe('class 3: aliases and merge keys', () => {
  const withAnchors = [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: anchored',
    '  labels: &labels',
    '    app: shop',
    'spec:',
    '  rules:',
    '    - host: a.example.com',
    '      http:',
    '        paths:',
    '          - path: /',
    '            pathType: Prefix',
    '            backend: &web',
    '              service:',
    '                name: web',
    '                port: {number: 80}',
    '          - path: /b',
    '            pathType: Prefix',
    '            backend: *web',
  ].join('\n');

  it('anchors, aliases and merge keys that Kubernetes accepts parse', () => {
    const merged = `${withAnchors}\n    - host: b.example.com\n      http:\n        paths:\n          - <<: {pathType: Prefix}\n            path: /c\n            backend:\n              <<: *web\n`;
    const r = parseIngress(merged);
    expect(r.ok ? r.ingress.spec.rules?.[1]?.http?.paths[0] : r.issues).toEqual({
      path: '/c',
      pathType: 'Prefix',
      backend: { service: { name: 'web', port: { number: 80 } } },
    });
  });

  it.each([
    [
      'undefined alias',
      withAnchors.replace('backend: *web', 'backend: *wbe'),
      'undefined-alias',
      20,
      'spec.rules[0].http.paths[1].backend',
      /\*wbe/,
    ],
    [
      'alias used before its anchor',
      withAnchors.replace('  labels: &labels\n    app: shop', '  labels: *later') + '\n  ingressClassName: &later nginx',
      'undefined-alias',
      5,
      'metadata.labels',
      /\*later/,
    ],
    [
      'merge of a scalar',
      withAnchors.replace('backend: *web', 'backend:\n              <<: 3'),
      'merge-key',
      21,
      'spec.rules[0].http.paths[1].backend[<<]',
      /merge key/,
    ],
    [
      'merge of an undefined alias',
      withAnchors.replace('backend: *web', 'backend:\n              <<: *nope'),
      'undefined-alias',
      21,
      'spec.rules[0].http.paths[1].backend[<<]',
      /\*nope/,
    ],
    [
      'merge of a list with a scalar',
      withAnchors.replace('backend: *web', 'backend:\n              <<: [*web, 1]'),
      'merge-key',
      21,
      'spec.rules[0].http.paths[1].backend[<<]',
      /merge key/,
    ],
    [
      'alias to its own ancestor',
      withAnchors.replace('  labels: &labels\n    app: shop', '  labels: &labels\n    app: [*labels]'),
      'alias-limit',
      6,
      'metadata.labels.app[0]',
      /contains it/,
    ],
  ])('%s', (_name, text, code, line, path, message) => {
    const found = issues(text);
    expect(found, JSON.stringify(found)).toEqual([expect.objectContaining({ code, line, path, message: expect.stringMatching(message) })]);
  });

  it('a "billion laughs" expansion is refused at the alias that crosses the limit', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(issues(bomb)).toEqual([expect.objectContaining({ code: 'alias-limit', line: 5, path: expect.stringMatching(/^e\[\d\]$/) })]);
  });

  it(`more than ${MAX_ALIAS_COUNT} aliases is refused at the first one over`, () => {
    const text = `a: &a x\nb: [${Array(MAX_ALIAS_COUNT + 1)
      .fill('*a')
      .join(', ')}]\n`;
    expect(issues(text)).toEqual([expect.objectContaining({ code: 'alias-limit', line: 2, path: `b[${MAX_ALIAS_COUNT}]` })]);
  });
});

describe('class 4: explicit tags', () => {
  it.each([
    ['!!binary', 'auth-secret: !!binary c2hvcA==', '!!binary'],
    ['!!python/object', 'auth-secret: !!python/object:os.system ls', '!!python/object:os.system'],
    ['!!python/name', 'auth-secret: !!python/name:os.system', '!!python/name:os.system'],
    ['a local custom tag', 'auth-secret: !vault shop-basic-auth', '!vault'],
    ['!!timestamp', 'auth-secret: !!timestamp 2001-12-14', '!!timestamp'],
    ['!!set', 'auth-secret: !!set {a, b}', '!!set'],
    ['!!omap', 'auth-secret: !!omap [a: 1]', '!!omap'],
    ['a verbatim unknown tag', 'auth-secret: !<tag:example.com,2000:x> y', 'tag:example.com,2000:x'],
    ['the non-specific tag !', 'auth-secret: ! shop-basic-auth', '!'],
  ])('%s is refused as an unsupported tag at its field', (_name, line, tag) => {
    const text = edit('auth-secret: shop-basic-auth', line);
    expect(issues(text)).toEqual([
      expect.objectContaining({
        code: 'unsupported-tag',
        path: 'metadata.annotations[nginx.ingress.kubernetes.io/auth-secret]',
        line: lineOf(text, 'auth-secret'),
        message: expect.stringContaining(tag),
      }),
    ]);
  });

  it('a %TAG shorthand is refused too', () => {
    const text = `%TAG !e! tag:example.com,2000:\n---\n${edit('auth-secret: shop-basic-auth', 'auth-secret: !e!secret x')}`;
    expect(issues(text).map((i) => i.code)).toEqual(['unsupported-tag']);
  });

  it.each(['!!str e1', '!!str 80', '!!int 80', '!!map {number: 80}'])('the core tag %s is fine', (value) => {
    const text = value.includes('map')
      ? edit('port:\n                  number: 80', `port: ${value}`)
      : edit('name: shop\n', `name: ${value.startsWith('!!int') ? '!!str shop' : value}\n`);
    expect(issues(text)).toEqual([]);
  });
});

describe('class 5: every error has a path and a line', () => {
  it.each([
    [
      'a syntax error inside a nested map',
      edit('                  number: 80', '                  number: 80: 81'),
      'yaml-syntax',
      'spec.rules[0].http.paths[0].backend.service.port.number[80]',
    ],
    [
      'a duplicate key',
      edit('            pathType: Exact\n', '            pathType: Exact\n            pathType: Prefix\n'),
      'duplicate-key',
      'spec.rules[0].http.paths[2].pathType',
    ],
    [
      'a missing nested service name',
      edit('                name: storefront\n', ''),
      'required',
      'spec.rules[0].http.paths[0].backend.service.name',
    ],
    [
      'a missing port',
      edit('                port:\n                  number: 80\n', ''),
      'required',
      'spec.rules[0].http.paths[0].backend.service.port',
    ],
  ])('%s', (_name, text, code, path) => {
    const found = issues(text).find((i) => i.code === code);
    expect(found, JSON.stringify(issues(text))).toMatchObject({ path, line: expect.any(Number), column: expect.any(Number) });
  });

  it('a missing required field points at the map that should hold it', () => {
    const text = edit('                name: storefront\n', '');
    expect(issues(text)).toEqual([expect.objectContaining({ code: 'required', line: lineOf(text, 'service:') })]);
  });

  it('a field in a JSON manifest is located on its own line', () => {
    const json = JSON.stringify(
      JSON.parse(
        JSON.stringify({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'Bad_Name' },
          spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
        }),
      ),
      null,
      2,
    );
    expect(issues(json)).toEqual([
      expect.objectContaining({ code: 'invalid', path: 'metadata.name', line: lineOf(json, '"name": "Bad_Name"') }),
    ]);
  });

  it('returns source lines for the submitted text when asked', () => {
    const text = `# two comment lines\n#\n${VALID}`;
    const r = parseIngress(text, { sourceLines: true });
    expect(r.ok && r.sourceLines?.get('spec.rules[0].http.paths[1].backend.service.name')).toBe(lineOf(text, 'name: shop-api'));
    expect(r.ok && r.sourceLines?.get('metadata.annotations[nginx.ingress.kubernetes.io/auth-type]')).toBe(lineOf(text, 'auth-type'));
  });
});
