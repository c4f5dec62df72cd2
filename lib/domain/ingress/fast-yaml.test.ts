import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixture, STYLE_FIXTURES } from './__fixtures__';
import { canonicalYaml } from './normalise-ingress';
import { fastParseYaml, K8S_YAML_OPTIONS } from './fast-yaml';
import { MAX_ALIAS_COUNT, parseIngress, parseIngressWithYaml } from './parse-ingress';

/**
 * The fast path must return exactly what the `yaml` path returns, or nothing: whenever
 * fastParseYaml yields a value, `yaml` must see one document, no errors, and the same value (same
 * types, same key order). Checked on the fixtures, on canonical output, on generated YAML full of
 * YAML-1.1 traps, and on randomly mutated fixtures.
 */
// FAST_YAML_FUZZ=100 runs the randomised checks on 100× as many seeds.
const FUZZ = Math.max(1, Number(process.env.FAST_YAML_FUZZ ?? 1) || 1);
const ALL_FIXTURES = [...STYLE_FIXTURES, 'live-with-server-fields.yaml', 'v1beta1-legacy.yaml'];

type TReference = { ok: true; value: unknown } | { ok: false };

function reference(text: string): TReference {
  const parsed = parseAllDocuments(text, K8S_YAML_OPTIONS);
  const docs = (Array.isArray(parsed) ? parsed : []).filter((d) => d.contents !== null || d.errors.length > 0);
  if (docs.length !== 1 || docs[0]!.errors.length > 0) return { ok: false };
  try {
    return { ok: true, value: docs[0]!.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch {
    return { ok: false };
  }
}

/** Key order matters too (it is what gets rendered and hashed): compare the key lists as well. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === 'object' && v !== null) return Object.entries(v).map(([k, x]) => [k, shape(x)]);
  return v;
}

/** Asserts the fast path agrees with yaml; returns whether it took the text. */
function agrees(text: string): boolean {
  const fast = fastParseYaml(text);
  if (fast === undefined) return false;
  const ref = reference(text);
  expect(ref.ok, `fast path accepted text yaml rejects:\n${text}`).toBe(true);
  if (!ref.ok) return true;
  // isDeepStrictEqual, not toStrictEqual: a `constructor` key would fool vitest's type check.
  expect(isDeepStrictEqual(fast, ref.value), text).toBe(true);
  expect(shape(fast), text).toStrictEqual(shape(ref.value));
  return true;
}

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

// Scalars that are plain strings, YAML 1.1 booleans/nulls/numbers, dropped tags (timestamps,
// sexagesimal), quoting and escapes, indicators, comments, and outright syntax errors.
const SCALARS = [
  'value',
  'svc-1',
  'Prefix',
  '/api',
  '/a/b?c=d&e=f',
  'shop.example.com',
  '*.example.com',
  'letsencrypt-prod',
  '8m',
  '30s',
  '10.0.0.0/8,192.168.0.0/16',
  'arn:aws:acm:eu-west-1:1:certificate/x',
  'web-auth@kubernetescrd',
  'a,b',
  'a]',
  'a}',
  'a[b]',
  'a{b}',
  'a b  c',
  'a%b',
  'a!b',
  'a&b',
  'a*b',
  'a|b',
  'a>b',
  "a'b",
  'a"b',
  'a?b',
  'a-',
  'a=b',
  '=',
  '(x)',
  '$x',
  '^x',
  '.x',
  '~x',
  '_x',
  '+x',
  ';x',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'yes',
  'Yes',
  'YES',
  'no',
  'No',
  'NO',
  'y',
  'Y',
  'n',
  'N',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'null',
  'Null',
  'NULL',
  '~',
  'oN',
  'nULL',
  'yES',
  '0',
  '00',
  '007',
  '08',
  '09',
  '0x1F',
  '0X1F',
  '0xg',
  '0b101',
  '0b2',
  '0o17',
  '1_000',
  '1__0',
  '-1',
  '+1',
  '-0',
  '1e5',
  '1E5',
  '1e+5',
  '1.5',
  '.5',
  '+.5',
  '1.50',
  '1.',
  '0.',
  '1_0.5',
  '.inf',
  '-.inf',
  '+.Inf',
  '.nan',
  '.NaN',
  '.NAN',
  '.Nan',
  '123456789012345678901234567890',
  '9007199254740993',
  '1e400',
  '12:30',
  '1:20:30',
  '190:20:30.15',
  '-1:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '1:2:3:4',
  '"quoted"',
  '"on"',
  '"8080"',
  '""',
  "''",
  "'single'",
  "'it''s'",
  "'a''''b'",
  '"esc\\"aped"',
  '"back\\\\slash"',
  '"\\u00e9"',
  '"\\u0041\\u0042"',
  '"\\uD83D\\uDE00"',
  '"\\x41"',
  '"\\a"',
  '"\\e"',
  '"\\0"',
  '"\\N"',
  '"\\ "',
  '"\\/"',
  '"tab\\there"',
  '"nl\\n"',
  '"\\q"',
  '"\\u12"',
  '"a #b"',
  "'a #b'",
  '"a: b"',
  "'a: b'",
  '[]',
  '{}',
  '[ ]',
  '{ }',
  '[a, b]',
  '{a: 1}',
  '[] #c',
  '{} #c',
  '[]x',
  '{}x',
  '[]#c',
  '[',
  '{',
  '&anchor x',
  '*alias',
  '!tag x',
  '!!str 1',
  '!!int 1',
  '| x',
  '>',
  '|',
  '-',
  '- x',
  '-x',
  '-1x',
  '?',
  '? x',
  '?x',
  ':x',
  ':',
  '%x',
  '@x',
  '`x',
  ',x',
  '#c',
  'a: b',
  'a:b',
  'a :b',
  'a:',
  'a #b',
  'a#b',
  'a # b # c',
  'a  #b',
  'x # c',
  'foo ',
  '"unterminated',
  "'unterm",
  '"a" b',
  "'a'b",
  '"a"#c',
  '"a" #c',
  "'a' #c",
  '"a"  ',
  '<<',
  '... x',
  '--- x',
  'é',
  'a\tb',
  '\t',
  'a\r',
  '\ufeffa',
];
const KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'spec',
  'rules',
  'host',
  'a',
  'b',
  'c',
  'app.kubernetes.io/name',
  'nginx.ingress.kubernetes.io/x',
  'a_b',
  '_a',
  'A',
  'x-y',
  'on',
  'yes',
  'y',
  'Y',
  'n',
  'no',
  'off',
  'true',
  'null',
  'Null',
  '~',
  '<<',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '"quoted"',
  '"on"',
  '"a b"',
  '"a: b"',
  "'single'",
  "'on'",
  "'it''s'",
  '"esc\\"k"',
  '"\\u0041"',
  '"<<"',
  '"__proto__"',
  '"1"',
  '""',
  "''",
  '1',
  '0x1',
  '1.5',
  '.inf',
  '2001-12-14',
  '12:30',
  'a b',
  'a:b',
  '-a',
  '?a',
  '? a',
  '&a a',
  '*a',
  '!t a',
  'a#b',
  'a #b',
  '.a',
  '/a',
  'a/',
  'a.',
  'a-',
  'a~',
  'a+b',
  'a@b',
  'é',
  'a\tb',
  'x'.repeat(1100),
];

function genYaml(seed: number): string {
  const r = rng(seed);
  const out: string[] = [];
  const trap = () => r.next() < 0.15;
  const scalar = () => (trap() ? r.pick(SCALARS) : r.pick(SCALARS.slice(0, 40)));
  const key = () => (trap() ? r.pick(KEYS) : r.pick(KEYS.slice(0, 16)));
  const comment = () => (r.next() < 0.1 ? r.pick([' # note', '  #c', '#c', ' #']) : '');
  const sep = () => (r.next() < 0.9 ? ' ' : r.pick(['', '  ', '   ']));
  const pad = (n: number) => ' '.repeat(Math.max(0, n + (r.next() < 0.02 ? r.pick([-1, 1]) : 0)));
  const noise = (indent: number) => {
    if (r.next() < 0.05) out.push(r.pick(['', '   ', `${' '.repeat(r.int(8))}# comment`, '#', ' #x:y']));
    if (r.next() < 0.005) out.push(r.pick(['---', '...', '--- # c', '%YAML 1.1', `${' '.repeat(indent)}\t`]));
  };
  const step = () => (r.next() < 0.8 ? 2 : r.pick([1, 3, 4]));

  function map(indent: number, depth: number, firstPrefix: string | null): void {
    const n = 1 + r.int(4);
    const used: string[] = [];
    for (let k = 0; k < n; k++) {
      let name = key();
      // Mostly unique keys, so the rest of the document is exercised; sometimes a duplicate.
      if (used.includes(name) && r.next() < 0.9) name = `${name}${k}`;
      used.push(name);
      const prefix = k === 0 && firstPrefix !== null ? firstPrefix : pad(indent);
      entry(`${prefix}${name}:`, indent, depth);
      noise(indent);
    }
  }
  function seq(indent: number, depth: number): void {
    const n = 1 + r.int(4);
    for (let k = 0; k < n; k++) {
      const dash = `${pad(indent)}-${r.next() < 0.9 ? ' ' : r.pick(['  ', '   ', ''])}`;
      const roll = r.next();
      if (depth < 4 && roll < 0.4) map(dash.length, depth + 1, dash);
      else if (depth < 4 && roll < 0.5) {
        out.push(`${pad(indent)}-${comment()}`);
        block(indent + step(), depth + 1);
      } else out.push(`${dash}${scalar()}${comment()}`.replace(/ +$/, r.next() < 0.5 ? '' : ' '));
      noise(indent);
    }
  }
  function block(indent: number, depth: number): void {
    if (r.next() < 0.6) map(indent, depth, null);
    else seq(indent, depth);
  }
  function entry(head: string, indent: number, depth: number): void {
    const roll = r.next();
    if (depth < 5 && roll < 0.3) {
      out.push(`${head}${comment()}`);
      map(indent + step(), depth + 1, null);
    } else if (depth < 5 && roll < 0.45) {
      out.push(`${head}${comment()}`);
      seq(r.next() < 0.5 ? indent : indent + step(), depth + 1);
    } else if (roll < 0.5) {
      out.push(`${head}${comment()}`);
    } else {
      out.push(`${head}${sep()}${scalar()}${comment()}`);
    }
  }

  if (r.next() < 0.1) out.push(r.pick(['---', '# header', '', '--- ']));
  if (r.next() < 0.03) seq(0, 0);
  else map(r.next() < 0.03 ? 1 : 0, 0, null);
  if (r.next() < 0.03) out.push(r.pick(['---', '---\na: 1', '...', '- x', '  a: 1', 'b: |\n  x']));
  return out.join('\n') + (r.next() < 0.9 ? '\n' : '');
}

const MUTATIONS = [
  ' ',
  '  ',
  ':',
  ': ',
  '-',
  '- ',
  '#',
  ' #',
  "'",
  '"',
  '\n',
  '\n  ',
  '[',
  ']',
  '{',
  '}',
  '&a ',
  '*a',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  ',',
  '?',
  '~',
  '\t',
  '\\',
  'on',
  'yes',
  '~',
  '0x1',
  '1:2',
  '---\n',
  '\r',
];

function mutate(text: string, seed: number): string {
  const r = rng(seed);
  let t = text;
  const count = 1 + r.int(3);
  for (let k = 0; k < count; k++) {
    const at = r.int(t.length + 1);
    const roll = r.next();
    if (roll < 0.45) t = t.slice(0, at) + r.pick(MUTATIONS) + t.slice(at);
    else if (roll < 0.6) t = t.slice(0, at) + t.slice(at + 1 + r.int(3));
    else if (roll < 0.75) t = t.slice(0, at) + r.pick(SCALARS) + t.slice(at);
    else {
      // Re-indent or duplicate one line.
      const lines = t.split('\n');
      const i = r.int(lines.length);
      if (r.next() < 0.5) lines[i] = r.next() < 0.5 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, '');
      else lines.splice(i, 0, lines[i]!);
      t = lines.join('\n');
    }
  }
  return t;
}

function bigIngressYaml(r: ReturnType<typeof rng>): string {
  const hosts = Array.from({ length: 1 + r.int(6) }, (_, i) => `h${i}.example.com`);
  const annotations: Record<string, string> = {};
  for (let i = 0; i < r.int(6); i++)
    annotations[`example.com/${r.pick(['a', 'b', 'on', 'x.y'])}${i}`] = r.pick([
      'on',
      'yes',
      '8080',
      '0x1F',
      'plain',
      'a: b',
      'multi\nline\n',
      'tab\there',
      'é',
      '',
      ' lead',
      '#x',
      '1e5',
      '~',
      'null',
      '12:30',
    ]);
  return canonicalYaml({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'gen', namespace: 'ns', annotations },
    spec: {
      ingressClassName: 'nginx',
      tls: r.next() < 0.5 ? [] : [{ hosts, secretName: 'tls' }],
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'web', port: r.next() < 0.5 ? { number: 80 } : { name: 'http' } } },
            },
          ],
        },
      })),
    },
  });
}

describe('fastParseYaml: identical to the yaml package whenever it answers', () => {
  it.each(ALL_FIXTURES)('fixture %s', (name) => {
    agrees(fixture(name));
  });

  it('takes the fast path for the block-YAML fixtures (so it is what runs in practice)', () => {
    for (const name of ['nginx-shop.yaml', 'alb-internal.yaml', 'traefik-blog.yaml', 'cert-manager-wildcard.yaml', 'v1beta1-legacy.yaml']) {
      expect(fastParseYaml(fixture(name)), name).toBeDefined();
    }
  });

  it('leaves everything outside its subset to the yaml package', () => {
    const outside = [
      '',
      '# only a comment\n',
      '{"kind": "Ingress"}',
      '- a\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      'a: |\n  x\n',
      'a: >\n  x\n',
      'a: b\n  c\n',
      'a: "b\n  c"\n',
      'a: 1\n---\nb: 2\n',
      'a: 1\n...\n',
      '%YAML 1.1\n---\na: 1\n',
      'a: 1\na: 2\n',
      'a: 1\n"a": 2\n',
      'on: 1\n',
      '<<: {}\n',
      '__proto__: 1\n',
      'a:\tb\n',
      'a: b\r\n',
      'a: é\n',
      '\ufeffa: 1\n',
      'a: b: c\n',
      'a:b\n',
      'a :b\n',
      ' a: 1\n',
      'a:\n - b\n c: 1\n',
      'a:\n- - b\n',
      'a: -1\n',
      'a: "\\x41"\n',
      'a: "b"c\n',
      'a: 1\n  b: 2\n',
    ];
    for (const text of outside) expect(fastParseYaml(text), JSON.stringify(text)).toBeUndefined();
  });

  it('pins YAML 1.1 scalar typing to the yaml package', () => {
    const values = SCALARS.map((s, i) => `k${i}: ${s}`);
    let taken = 0;
    for (const line of values) if (agrees(`${line}\n`)) taken++;
    expect(taken).toBeGreaterThan(120);
    expect(fastParseYaml('a: on\nb: "on"\nc: 0x1F\nd: 010\ne: 12:30\nf: 2001-12-14\ng: ~\nh:\ni: .inf\nj: 1_000\n')).toStrictEqual({
      a: true,
      b: 'on',
      c: 31,
      d: 8,
      e: '12:30',
      f: '2001-12-14',
      g: null,
      h: null,
      i: Infinity,
      j: 1000,
    });
  });

  it('pins map-key typing to the yaml package (1.1 words, numbers, quoting, prototype names)', () => {
    let taken = 0;
    for (const key of KEYS) {
      if (agrees(`${key}: v\n`)) taken++;
      agrees(`a:\n  ${key}: v\n  b: 1\n`);
      agrees(`- ${key}: v\n  ${key}: w\n`);
    }
    expect(taken).toBeGreaterThan(30);
    expect(fastParseYaml('"on": 1\nconstructor: 2\n')).toStrictEqual(JSON.parse('{"on":1,"constructor":2}'));
  });

  it(
    'agrees on 4,000 generated documents full of traps',
    () => {
      let taken = 0;
      for (let seed = 1; seed <= 4000 * FUZZ; seed++) if (agrees(genYaml(seed))) taken++;
      if (FUZZ > 1) console.log(`generated: fast path took ${taken} of ${4000 * FUZZ}`);
      // Not vacuous: most generated documents are inside the subset.
      expect(taken).toBeGreaterThan(1000);
    },
    60_000 * FUZZ,
  );

  it(
    'agrees on 3,000 random mutations of the fixtures',
    () => {
      const bases = ALL_FIXTURES.map(fixture);
      let taken = 0;
      for (let seed = 1; seed <= 3000 * FUZZ; seed++) if (agrees(mutate(bases[seed % bases.length]!, seed))) taken++;
      if (FUZZ > 1) console.log(`mutated: fast path took ${taken} of ${3000 * FUZZ}`);
      expect(taken).toBeGreaterThan(300);
    },
    60_000 * FUZZ,
  );

  it(
    'agrees on canonical YAML of generated Ingresses (quoted, 1.1-reserved and multi-line values)',
    () => {
      const r = rng(7);
      for (let k = 0; k < 300 * FUZZ; k++) agrees(bigIngressYaml(r));
    },
    60_000 * FUZZ,
  );
});

describe('parseIngress: fast and yaml paths give identical results', () => {
  const same = (text: string, opts?: { namespace?: string }) =>
    expect(parseIngress(text, opts)).toStrictEqual(parseIngressWithYaml(text, opts));

  it.each(ALL_FIXTURES)('fixture %s (with and without a target namespace)', (name) => {
    same(fixture(name));
    same(fixture(name), { namespace: 'shop' });
    same(fixture(name), { namespace: 'other' });
  });

  it(
    'on mutated fixtures, valid or not (every issue comes from the yaml path)',
    () => {
      const bases = ALL_FIXTURES.map(fixture);
      for (let seed = 1; seed <= 600 * FUZZ; seed++)
        same(mutate(bases[seed % bases.length]!, seed * 7919), seed % 3 === 0 ? { namespace: 'shop' } : undefined);
    },
    60_000 * FUZZ,
  );

  it('on the YAML 1.1 annotation trap (unquoted on), with its exact issue', () => {
    const text = fixture('nginx-shop.yaml').replace('proxy-body-size: 8m', 'proxy-body-size: on');
    same(text);
    const r = parseIngress(text);
    expect(r.ok).toBe(false);
  });
});
