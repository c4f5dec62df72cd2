import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as TYamlNode } from 'yaml';
import { fixture, STYLE_FIXTURES } from './__fixtures__';
import { renderYaml } from './canonical-yaml';
import { appendKey } from './field-path';
import { canonicalYaml, contentHash, normaliseIngress } from './normalise-ingress';
import { findDisallowedInValue } from '../text/disallowed-characters';
import { parseIngress } from './parse-ingress';
import { sha256Hex } from './sha256';
import type { TIngress } from './types';

function ingressOf(text: string, namespace?: string): TIngress {
  const r = parseIngress(text, { namespace });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
}

// --- hand-rolled generators (seeded, so failures reproduce) ---------------------------------
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const STRINGS = [
  '',
  'a',
  'true',
  'on',
  'yes',
  'null',
  '~',
  '80',
  '0777',
  '1e3',
  '.inf',
  'a: b',
  'x #y',
  '- z',
  '{a}',
  '[b]',
  '"q"',
  "'s'",
  ' lead',
  'trail ',
  'tab\there',
  'multi\nline',
  'multi\nline\n',
  'multi\nline\n\n',
  '  indented\nblock',
  'unicode ✓ é',
  'back\\slash',
  'a:',
  ':a',
  '&anchor',
  '*alias',
  '!tag',
  '%pct',
  '@at',
  '`tick`',
  'more sad\r\nwindows',
  'ctl\u0001',
  'proxy_set_header X-Script-Name /app;\nlocation /x { deny all; }\n',
  'https://auth.example.com/oauth2/auth?rd=$scheme://$host$request_uri',
];

function randomIngress(rand: () => number): TIngress {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const annotations: Record<string, string> = {};
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) annotations[`example.com/k${Math.floor(rand() * 50)}`] = pick(STRINGS);
  const rules = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({
    host: `h${i}.example.com`,
    http: {
      paths: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, j) => ({
        path: `/p${j}`,
        pathType: pick(['Exact', 'Prefix', 'ImplementationSpecific'] as const),
        backend: { service: { name: `svc${j}`, port: rand() < 0.5 ? { number: 1 + Math.floor(rand() * 65535) } : { name: 'http' } } },
      })),
    },
  }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'gen', namespace: 'ns', annotations, labels: rand() < 0.5 ? { app: 'gen' } : {} },
    spec: {
      ingressClassName: rand() < 0.5 ? 'nginx' : undefined,
      tls: rand() < 0.5 ? [{ hosts: ['h0.example.com'], secretName: 's' }] : [],
      rules,
    },
  };
}

/** Same object, every map's keys in a random order, plus server-set fields. */
function shuffledWithServerFields(v: unknown, rand: () => number, depth = 0): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffledWithServerFields(x, rand, depth + 1));
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.entries(v);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) out[k] = shuffledWithServerFields(x, rand, depth + 1);
  return out;
}

function withServerFields(ing: TIngress, seed: number): TIngress {
  const copy = structuredClone(ing);
  copy.metadata = {
    ...copy.metadata,
    uid: `uid-${seed}`,
    resourceVersion: String(seed),
    generation: seed,
    creationTimestamp: '2024-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl' }],
    selfLink: '/apis/x',
    annotations: { ...copy.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  };
  copy.status = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };
  return copy;
}

describe('normaliseIngress', () => {
  it('drops server fields: the live object hashes like the applied manifest', () => {
    const applied = ingressOf(fixture('nginx-shop.yaml'));
    const live = ingressOf(fixture('live-with-server-fields.yaml'));
    expect(canonicalYaml(live)).toBe(canonicalYaml(applied));
    expect(contentHash(live)).toBe(contentHash(applied));
    expect(normaliseIngress(live).metadata).not.toHaveProperty('uid');
    expect(normaliseIngress(live)).not.toHaveProperty('status');
  });

  it('YAML and JSON spellings hash the same', () => {
    const yaml = ingressOf(fixture('haproxy-api.json'));
    const asYaml = ingressOf(canonicalYaml(yaml));
    expect(contentHash(asYaml)).toBe(contentHash(yaml));
  });

  it.each([
    ['empty annotations and labels', { annotations: {}, labels: {} }],
    ['null fields', { annotations: null, labels: null }],
  ])('drops %s', (_n, meta) => {
    const ing = ingressOf(fixture('traefik-blog.yaml'));
    const bare = structuredClone(ing);
    bare.metadata = { name: ing.metadata.name, namespace: ing.metadata.namespace };
    const withEmpty = { ...bare, metadata: { ...bare.metadata, ...meta } } as TIngress;
    expect(contentHash(withEmpty)).toBe(contentHash(bare));
  });

  it('omitempty: tls: [], host: "" and port number 0 disappear; "" annotation values stay', () => {
    const a = ingressOf(fixture('traefik-blog.yaml'));
    const b = structuredClone(a);
    b.metadata.annotations = { ...b.metadata.annotations, 'example.com/empty': '' };
    const n = normaliseIngress({ ...b, spec: { ...b.spec, tls: [] } });
    expect(n.spec).not.toHaveProperty('tls');
    expect(n.metadata.annotations?.['example.com/empty']).toBe('');
  });

  it('property: idempotent, hash ignores key order and server fields (200 random Ingresses)', () => {
    const rand = rng(42);
    for (let i = 0; i < 200; i++) {
      const ing = randomIngress(rand);
      const once = normaliseIngress(ing);
      expect(normaliseIngress(once)).toEqual(once);
      expect(JSON.stringify(normaliseIngress(once))).toBe(JSON.stringify(once));
      const scrambled = shuffledWithServerFields(withServerFields(ing, i), rand) as TIngress;
      expect(contentHash(scrambled)).toBe(contentHash(ing));
      expect(canonicalYaml(scrambled)).toBe(canonicalYaml(ing));
    }
  });

  it('property: canonical YAML parses back to the normalised object (Kubernetes YAML 1.1 rules)', () => {
    const rand = rng(7);
    for (let i = 0; i < 200; i++) {
      const ing = randomIngress(rand);
      const text = canonicalYaml(ing);
      const back = parseIngress(text);
      // Control characters survive rendering (as escapes) but are refused on the way back in (issue 13).
      if (findDisallowedInValue(ing) !== null) expect(back.ok ? back.ingress : back.issues.map((x) => x.code)).toEqual(['encoding']);
      else expect(back.ok ? back.ingress : back.issues).toEqual(normaliseIngress(ing));
    }
  });

  it('a different Ingress hashes differently', () => {
    const a = ingressOf(fixture('nginx-shop.yaml'));
    const b = structuredClone(a);
    b.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 81 };
    expect(contentHash(b)).not.toBe(contentHash(a));
    expect(contentHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('canonical YAML line map', () => {
  // Reference implementation: walk the parsed canonical document with a LineCounter.
  function referenceLines(text: string): Map<string, number> {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    const out = new Map<string, number>([['', 1]]);
    const walk = (node: TYamlNode | null, path: string) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = pair.key as TYamlNode;
          const p = appendKey(path, String(isScalar(key) ? key.value : ''));
          out.set(p, lc.linePos(key.range![0]).line);
          walk(pair.value as TYamlNode, p);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const p = `${path}[${i}]`;
          // the `- ` indicator sits two columns before the item's first token, on the same line
          out.set(p, lc.linePos((item as TYamlNode).range![0]).line);
          walk(item as TYamlNode, p);
        });
      }
    };
    walk(doc.contents as TYamlNode, '');
    return out;
  }

  it.each(STYLE_FIXTURES)('%s: emitter lines equal a parse-and-walk of the output', (name) => {
    const rendered = renderYaml(normaliseIngress(ingressOf(fixture(name))) as unknown as Record<string, unknown>);
    expect(rendered.lines).toEqual(referenceLines(rendered.yaml));
  });

  it('snippets render as | blocks', () => {
    const ing = ingressOf(fixture('nginx-shop.yaml'));
    ing.metadata.annotations = { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";\nreturn 200;\n' };
    expect(canonicalYaml(ing)).toContain(
      'nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X: y";\n      return 200;\n',
    );
  });
});

describe('sha256', () => {
  it.each(['', 'abc', 'é✓', 'x'.repeat(1000), 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64)])('matches node:crypto for %#', (s) => {
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  });
});
