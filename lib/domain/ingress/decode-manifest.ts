import type { TIssue } from './types';

export type TDecodeResult = { ok: true; text: string } | { ok: false; issues: TIssue[] };

/**
 * Decodes uploaded manifest bytes as strict UTF-8 (what kubectl and the API server read).
 * Cases:
 * - valid UTF-8 → the text; a leading UTF-8 byte-order mark is dropped, as kubectl does
 * - any invalid sequence (a stray continuation byte, a truncated or overlong sequence, an encoded
 *   surrogate, a code point above U+10FFFF — UTF-16 and Latin-1 files land here) → one `encoding`
 *   issue at the 1-based line and column of the first bad byte (the column counts the characters
 *   before it on that line, as the editor shows them), naming the byte
 * Replacing bad bytes with U+FFFD (what a lenient decoder does) would store a manifest that is
 * not what the requester wrote; refusing names the exact place instead.
 */
export function decodeManifestBytes(bytes: Uint8Array): TDecodeResult {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes.subarray(0, offset));
    const lineStart = before.lastIndexOf('\n') + 1;
    let line = 1;
    for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
    const column = before.length - lineStart + 1;
    const byte = bytes[offset] ?? 0;
    return {
      ok: false,
      issues: [
        {
          path: '',
          line,
          column,
          code: 'encoding',
          message: `the manifest is not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at line ${line}, column ${column} (byte offset ${offset}); save the file as UTF-8`,
        },
      ],
    };
  }
}

/** Byte offset of the first invalid UTF-8 sequence (RFC 3629 / the WHATWG decoder's rules). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0; // overlong
      if (b === 0xed) upper = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90; // overlong
      if (b === 0xf4) upper = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? lower : 0x80;
      const hi = k === 1 ? upper : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return n;
}
