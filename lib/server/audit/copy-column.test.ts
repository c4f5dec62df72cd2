import { describe, expect, it } from 'vitest';
import { createBinaryCopyParser } from './copy-column';

// PostgreSQL's binary COPY of a one-column result, built by hand: header, rows, trailer.
function binaryCopy(values: (string | null)[]): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])];
  for (const v of values) {
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    const bytes = v === null ? null : Buffer.from(v);
    head.writeInt32BE(bytes ? bytes.length : -1, 2);
    parts.push(head);
    if (bytes) parts.push(bytes);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function parse(input: Buffer, cuts: number[], prefix?: Buffer) {
  const parser = createBinaryCopyParser(prefix);
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    // A fresh copy per chunk, as the socket delivers them (the parser compacts chunks in place).
    parser.push(Buffer.from(input.subarray(from, cut)));
    from = cut;
  }
  const result = parser.finish();
  return { ...result, text: Buffer.concat(result.pieces).toString() };
}

const VALUES = ['{"type" : "event", "a": 1}\n', '{"type" : "link"}\n', null, '', 'ünï — 🚀\r\n', '{"type" : "ev', '{"type" : "event"}'];

describe('binary COPY parser', () => {
  it('returns the values back to back, counts rows and prefixed rows, whatever the chunk boundaries', () => {
    const input = binaryCopy(VALUES);
    const want = VALUES.filter((v) => v !== null).join('');
    const prefix = Buffer.from('{"type" : "event"');
    expect(parse(input, [], prefix)).toMatchObject({ text: want, rows: 7, countPrefixed: 2 });
    for (let cut = 1; cut < input.length; cut += 1)
      expect(parse(input, [cut], prefix), `cut at ${cut}`).toMatchObject({ text: want, countPrefixed: 2 });
    const everyByte = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
    expect(parse(input, everyByte, prefix)).toMatchObject({ text: want, rows: 7, countPrefixed: 2 });
  });

  it('refuses a stream that is not binary COPY, or that ends early', () => {
    expect(() => parse(Buffer.from('x'.repeat(40)), [])).toThrow(/not a binary COPY/);
    const input = binaryCopy(['abc']);
    expect(() => parse(input.subarray(0, input.length - 3), [])).toThrow(/ended early/);
  });
});

describe('CRLF fixer for COPY CSV', () => {
  it('turns record-ending LFs into CRLF, keeps line breaks inside quoted cells, at any chunk boundary', async () => {
    const { createCrlfFixer } = await import('./copy-column');
    const csv = 'a,"x\ny",b\n"he said ""hi""\n",2\n3,"",c\n';
    const want = 'a,"x\ny",b\r\n"he said ""hi""\n",2\r\n3,"",c\r\n';
    for (let cut = 0; cut <= csv.length; cut += 1) {
      const fixer = createCrlfFixer();
      const out = Buffer.concat([fixer.push(Buffer.from(csv.slice(0, cut))), fixer.push(Buffer.from(csv.slice(cut)))]).toString();
      expect(out, `cut at ${cut}`).toBe(want);
    }
  });
});
