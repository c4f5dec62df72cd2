import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * A signed checkpoint says "event `seq` of the audit chain has hash `hash`", signed with
 * HMAC-SHA256 under a key that is not in the database. The chain alone only proves internal
 * consistency: someone who can write the table can edit an event and recompute every later hash.
 * A checkpoint written before that edit still names the old hash at its seq, and a new one
 * cannot be forged without the key, so `audit:verify` catches the rewrite.
 *
 * The key is INGRESS_GATE_AUDIT_KEY when set (so auditors can hold a key the app's other secrets
 * do not reveal), else derived from INGRESS_GATE_SECRET_KEY with HKDF-SHA256.
 */
export const CHECKPOINT_FORMAT = 'ingress-gate-audit-checkpoint/v1';

export type TCheckpoint = { seq: string; hash: string; createdAt: string };
export type TSignedCheckpoint = TCheckpoint & { keyId: string; signature: string };

/** The 32-byte signing key from the environment's values. */
export function checkpointKey(source: { INGRESS_GATE_AUDIT_KEY?: string; INGRESS_GATE_SECRET_KEY?: string }): Buffer | null {
  if (source.INGRESS_GATE_AUDIT_KEY) return createHash('sha256').update(source.INGRESS_GATE_AUDIT_KEY).digest();
  if (!source.INGRESS_GATE_SECRET_KEY) return null;
  return Buffer.from(hkdfSync('sha256', source.INGRESS_GATE_SECRET_KEY, 'ingress-gate', 'audit checkpoint v1', 32));
}

/** Names a key without revealing it, so a verifier can tell "wrong key" from "forged". */
export function checkpointKeyId(key: Buffer): string {
  return createHash('sha256').update('key-id\n').update(key).digest('hex').slice(0, 16);
}

function message(c: TCheckpoint): string {
  return `${CHECKPOINT_FORMAT}\n${c.seq}\n${c.hash}\n${c.createdAt}`;
}

export function signCheckpoint(key: Buffer, checkpoint: TCheckpoint): TSignedCheckpoint {
  const signature = createHmac('sha256', key).update(message(checkpoint)).digest('hex');
  return { ...checkpoint, keyId: checkpointKeyId(key), signature };
}

/**
 * Cases: signed under another key → says so (key id differs); signature does not match the
 * seq, hash and time → forged or edited; else ok.
 */
export function checkCheckpointSignature(key: Buffer, c: TSignedCheckpoint): { ok: true } | { ok: false; reason: string } {
  if (c.keyId !== checkpointKeyId(key)) {
    return {
      ok: false,
      reason: `the checkpoint at seq ${c.seq} was signed with key ${c.keyId}, not the key given (${checkpointKeyId(key)})`,
    };
  }
  const expected = Buffer.from(createHmac('sha256', key).update(message(c)).digest('hex'));
  const actual = Buffer.from(String(c.signature));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: `the checkpoint at seq ${c.seq} has an invalid signature (forged or edited)` };
  }
  return { ok: true };
}
