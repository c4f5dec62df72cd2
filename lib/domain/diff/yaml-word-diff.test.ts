import { describe, expect, it } from 'vitest';
import { yamlTokens, yamlWordDiff } from './yaml-word-diff';

const marked = (changes: ReturnType<typeof yamlWordDiff>) =>
  changes.filter((c) => c.added || c.removed).map((c) => `${c.added ? '+' : '-'}${c.value}`);

describe('yamlTokens', () => {
  it.each([
    ['  host: admin.internal', ['  ', 'host', ':', ' ', 'admin.internal']],
    ['- host: a.example.com', ['-', ' ', 'host', ':', ' ', 'a.example.com']],
    ['    - a.example.com', ['    ', '-', ' ', 'a.example.com']],
    ['  "quoted key": "v: 1"', ['  ', '"quoted key"', ':', ' ', '"v: 1"']],
    ['    nginx.ingress.kubernetes.io/auth-url: http://x/y', ['    ', 'nginx.ingress.kubernetes.io/auth-url', ':', ' ', 'http://x/y']],
    ['  hosts: [a, b]', ['  ', 'hosts', ':', ' ', '[', 'a', ',', ' ', 'b', ']']],
    [
      '  snippet: more_set_headers "X: 1"; # note',
      ['  ', 'snippet', ':', ' ', 'more_set_headers', ' ', '"X: 1"', ';', ' ', '#', ' ', 'note'],
    ],
    ['metadata:', ['metadata', ':']],
    ['', []],
  ])('%j', (line, tokens) => {
    expect(yamlTokens(line)).toEqual(tokens);
    expect(yamlTokens(line).join('')).toBe(line);
  });
});

describe('yamlWordDiff', () => {
  it('marks a changed host as one word, not character fragments', () => {
    expect(marked(yamlWordDiff('  - host: admin.internal', '  - host: admin.external'))).toEqual(['-admin.internal', '+admin.external']);
  });
  it('marks a renamed key and keeps the value unmarked', () => {
    expect(marked(yamlWordDiff('  whitelist-source-range: 10.0.0.0/8', '  allowlist-source-range: 10.0.0.0/8'))).toEqual([
      '-whitelist-source-range',
      '+allowlist-source-range',
    ]);
  });
  it('marks one word inside a longer value', () => {
    expect(marked(yamlWordDiff('  v: more_set_headers "A"', '  v: more_clear_headers "A"'))).toEqual([
      '-more_set_headers',
      '+more_clear_headers',
    ]);
  });
  it('rebuilds both lines from the chunks', () => {
    const d = yamlWordDiff('  number: 8080', '  number: 9090');
    expect(
      d
        .filter((c) => !c.added)
        .map((c) => c.value)
        .join(''),
    ).toBe('  number: 8080');
    expect(
      d
        .filter((c) => !c.removed)
        .map((c) => c.value)
        .join(''),
    ).toBe('  number: 9090');
  });
  it('treats whitespace runs as equal when asked', () => {
    expect(marked(yamlWordDiff('  a:   b', '  a: b', { ignoreWhitespace: true }))).toEqual([]);
    expect(marked(yamlWordDiff('  a:   b', '  a: b'))).toEqual(['-   ', '+ ']);
  });
});
