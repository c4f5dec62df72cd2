import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Ingress-Gate-Signature';
export const TIMESTAMP_HEADER = 'X-Ingress-Gate-Timestamp';
/** Receivers should refuse a timestamp further than this from their clock (replay). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`): the timestamp is signed with the body. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (README shows the same steps): recompute, compare in constant time, check age. */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | null; timestamp: string | null },
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; reason: string } {
  if (!headers.signature || !headers.timestamp) return { ok: false, reason: 'missing signature or timestamp header' };
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'timestamp is not an integer' };
  if (Math.abs(nowSeconds - ts) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp outside the tolerance (replay?)' };
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
