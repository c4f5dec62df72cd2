import { describe, expect, it } from 'vitest';
import { decodeManifestBytes, firstInvalidUtf8 } from './decode-manifest';

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

// Rows from RFC 3629 §3/§4 (the UTF-8 syntax: no overlongs, no surrogates, nothing above
// U+10FFFF) and Markus Kuhn's UTF-8 decoder stress test (stray continuation bytes, truncated
// sequences, impossible bytes FE/FF), plus the files people actually upload by mistake.
describe('decodeManifestBytes: strict UTF-8', () => {
  it.each([
    ['ASCII', enc('kind: Ingress\n'), 'kind: Ingress\n'],
    ['2-, 3- and 4-byte characters', enc('a: é€𝄞\n'), 'a: é€𝄞\n'],
    ['a leading BOM is dropped', cat([0xef, 0xbb, 0xbf], enc('a: 1\n')), 'a: 1\n'],
    ['U+10FFFF, the last code point', cat(enc('a: '), [0xf4, 0x8f, 0xbf, 0xbf]), `a: \u{10ffff}`],
  ])('%s decodes', (_name, bytes, text) => {
    expect(decodeManifestBytes(bytes)).toEqual({ ok: true, text });
  });

  it.each([
    ['a stray continuation byte', cat(enc('a: x'), [0x80]), 1, 5, '0x80'],
    ['a Latin-1 é (0xE9) on line 3', cat(enc('kind: Ingress\nmetadata:\n  name: caf'), [0xe9], enc('\n')), 3, 12, '0xE9'],
    ['a truncated 3-byte sequence', cat(enc('a: '), [0xe2, 0x82]), 1, 4, '0xE2'],
    ['a truncated sequence before ASCII', cat(enc('a: '), [0xe2, 0x41]), 1, 4, '0xE2'],
    ['an overlong "/" (C0 AF)', cat(enc('path: '), [0xc0, 0xaf]), 1, 7, '0xC0'],
    ['an overlong 3-byte NUL (E0 80 80)', cat(enc('a: '), [0xe0, 0x80, 0x80]), 1, 4, '0xE0'],
    ['an encoded surrogate U+D800 (ED A0 80)', cat(enc('a: '), [0xed, 0xa0, 0x80]), 1, 4, '0xED'],
    ['above U+10FFFF (F4 90 80 80)', cat(enc('a: '), [0xf4, 0x90, 0x80, 0x80]), 1, 4, '0xF4'],
    ['the impossible byte FF', cat(enc('a: b\nc: '), [0xff]), 2, 4, '0xFF'],
    ['a UTF-16 file (BOM FF FE)', cat([0xff, 0xfe], [0x61, 0x00]), 1, 1, '0xFF'],
    ['after multi-byte characters, columns count characters', cat(enc('a: éé'), [0xff]), 1, 6, '0xFF'],
  ])('%s → encoding issue at line %i, column %i', (_name, bytes, line, column, byte) => {
    const r = decodeManifestBytes(bytes);
    expect(r).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'encoding', path: '', line, column })] });
    expect(r.ok ? '' : r.issues[0]?.message).toContain(byte);
  });

  it('firstInvalidUtf8 agrees with the platform decoder on every 1- and 2-byte input', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const isValid = (b: Uint8Array) => {
      try {
        fatal.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    for (let a = 0; a < 256; a++) {
      expect(firstInvalidUtf8(Uint8Array.of(a)) === 1, `${a}`).toBe(isValid(Uint8Array.of(a)));
      for (let b = 0; b < 256; b += 7) {
        const bytes = Uint8Array.of(a, b);
        expect(firstInvalidUtf8(bytes) === 2, `${a} ${b}`).toBe(isValid(bytes));
      }
    }
  });
});
