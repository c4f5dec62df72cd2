import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDisallowedCharacter, findDisallowedInValue, isCleanText } from './disallowed-characters';

describe('findDisallowedCharacter', () => {
  const TABLE: { name: string; text: string; expected: null | { index: number; line: number; column: number; what: string } }[] = [
    { name: 'plain text', text: 'Route /api to api-v2', expected: null },
    { name: 'tab, LF and CR are allowed', text: 'a\tb\nc\r\nd\re', expected: null },
    { name: 'a surrogate pair (emoji) is one character', text: 'ship it 🚀', expected: null },
    { name: 'non-Latin text', text: 'Überprüfung 日本語 العربية', expected: null },
    { name: 'NBSP U+00A0 is printable', text: 'a\u00a0b', expected: null },
    { name: 'empty', text: '', expected: null },
    { name: 'NUL', text: 'ab\u0000c', expected: { index: 2, line: 1, column: 3, what: 'a NUL character (U+0000)' } },
    { name: 'BEL', text: '\u0007', expected: { index: 0, line: 1, column: 1, what: 'a BEL character (U+0007)' } },
    { name: 'vertical tab', text: 'x\u000b', expected: { index: 1, line: 1, column: 2, what: 'a vertical tab character (U+000B)' } },
    { name: 'ESC', text: 'x\u001b[31m', expected: { index: 1, line: 1, column: 2, what: 'an ESC character (U+001B)' } },
    { name: 'U+001F', text: '\u001f', expected: { index: 0, line: 1, column: 1, what: 'a control character (U+001F)' } },
    { name: 'DEL', text: 'a\u007f', expected: { index: 1, line: 1, column: 2, what: 'a DEL character (U+007F)' } },
    { name: 'C1 U+0080', text: '\u0080', expected: { index: 0, line: 1, column: 1, what: 'a control character (U+0080)' } },
    { name: 'C1 NEL U+0085', text: 'a\u0085', expected: { index: 1, line: 1, column: 2, what: 'a NEL character (U+0085)' } },
    { name: 'C1 U+009F', text: '\u009f', expected: { index: 0, line: 1, column: 1, what: 'a control character (U+009F)' } },
    { name: 'lone high surrogate', text: 'a\ud800b', expected: { index: 1, line: 1, column: 2, what: 'an unpaired surrogate (U+D800)' } },
    {
      name: 'high surrogate at the end',
      text: 'ab\udbff',
      expected: { index: 2, line: 1, column: 3, what: 'an unpaired surrogate (U+DBFF)' },
    },
    { name: 'lone low surrogate', text: '\udc00', expected: { index: 0, line: 1, column: 1, what: 'an unpaired surrogate (U+DC00)' } },
    { name: 'reversed pair', text: '\ude80\ud83d', expected: { index: 0, line: 1, column: 1, what: 'an unpaired surrogate (U+DE80)' } },
    { name: 'after a valid pair', text: '🚀\udc00', expected: { index: 2, line: 1, column: 3, what: 'an unpaired surrogate (U+DC00)' } },
    {
      name: 'line and column after LF',
      text: 'kind: Ingress\nmetadata:\n  name: a\u0000b\n',
      expected: { index: 33, line: 3, column: 10, what: 'a NUL character (U+0000)' },
    },
    {
      name: 'CRLF counts as one line break',
      text: 'a\r\nb\r\n\u0000',
      expected: { index: 6, line: 3, column: 1, what: 'a NUL character (U+0000)' },
    },
    { name: 'a lone CR is a line break', text: 'a\rb\u0000', expected: { index: 3, line: 2, column: 2, what: 'a NUL character (U+0000)' } },
    {
      name: 'the first of several',
      text: 'a\u0001b\u0000',
      expected: { index: 1, line: 1, column: 2, what: 'a control character (U+0001)' },
    },
  ];

  for (const row of TABLE) {
    it(row.name, () => {
      const found = findDisallowedCharacter(row.text);
      if (row.expected === null) {
        expect(found).toBeNull();
        expect(isCleanText(row.text)).toBe(true);
        return;
      }
      expect(found).toMatchObject(row.expected);
      expect(found?.codePoint).toBe(row.text.charCodeAt(row.expected.index));
      expect(isCleanText(row.text)).toBe(false);
    });
  }

  it('names the position in a one-line text and line and column in a multi-line one', () => {
    expect(findDisallowedCharacter('ab\u0000')?.message).toBe('contains a NUL character (U+0000) at position 3; remove it');
    expect(findDisallowedCharacter('a\nb\u0000')?.message).toBe('contains a NUL character (U+0000) at line 2, column 2; remove it');
  });

  it('agrees with a character-by-character definition on any string', () => {
    const isBad = (s: string, i: number) => {
      const c = s.charCodeAt(i);
      if (c <= 0x1f) return c !== 9 && c !== 10 && c !== 13;
      if (c >= 0x7f && c <= 0x9f) return true;
      if (c >= 0xd800 && c <= 0xdbff) return !(i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff);
      if (c >= 0xdc00 && c <= 0xdfff) return !(i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff);
      return false;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        let first = -1;
        for (let i = 0; i < s.length; i++) {
          if (isBad(s, i)) {
            first = i;
            break;
          }
        }
        expect(findDisallowedCharacter(s)?.index ?? -1).toBe(first);
      }),
      { numRuns: 2000 },
    );
  });

  it('scans a 256 KiB manifest quickly', () => {
    const text = 'spec:\n  rules:\n' + '  - host: shop.example.com\n'.repeat(10_000);
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(findDisallowedCharacter(text)).toBeNull();
    expect((performance.now() - started) / 20).toBeLessThan(20);
  });
});

describe('findDisallowedInValue', () => {
  it('finds a character in a nested string value with its path', () => {
    const found = findDisallowedInValue({ title: 'ok', labels: ['a', 'b\u0000'] });
    expect(found).toMatchObject({ path: 'labels[1]', inKey: false, index: 1, what: 'a NUL character (U+0000)' });
  });
  it('finds a character in an object key', () => {
    const found = findDisallowedInValue({ meta: { 'a\ud800': 1 } });
    expect(found).toMatchObject({ path: 'meta["a\\ud800"]', inKey: true, what: 'an unpaired surrogate (U+D800)' });
  });
  it('quotes keys that are not identifiers', () => {
    expect(findDisallowedInValue({ 'x-y': { z: '\u0007' } })?.path).toBe('["x-y"].z');
  });
  it('uses the given root path and ignores numbers, booleans and null', () => {
    expect(findDisallowedInValue({ a: 1, b: true, c: null, d: '\u0001' }, 'body')?.path).toBe('body.d');
    expect(findDisallowedInValue({ a: 1, b: [true, null] })).toBeNull();
  });
  it('a bare string has an empty path', () => {
    expect(findDisallowedInValue('\u0000')).toMatchObject({ path: '', index: 0 });
  });
});
