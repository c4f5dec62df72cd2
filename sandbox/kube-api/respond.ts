import type http from 'node:http';
import { statusForCode, type TStatus } from './status';

/** What the real API server accepts before it answers 413 (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function send(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendStatus(res: http.ServerResponse, status: TStatus): void {
  send(res, status.code, status);
}

export type TRequestBody = { body: unknown; bodyError: boolean } | { tooLarge: true };

/** Reads the whole body; JSON when it parses, else the raw text with bodyError set (answered 400 after auth). */
export async function readBody(req: http.IncomingMessage): Promise<TRequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) return { tooLarge: true };
    chunks.push(c as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.length) return { body: null, bodyError: false };
  try {
    return { body: JSON.parse(raw), bodyError: false };
  } catch {
    return { body: raw, bodyError: true };
  }
}

export function tooLarge(res: http.ServerResponse): void {
  sendStatus(res, { ...statusForCode(413), message: 'Request entity too large: limit is 3145728' });
}
