import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

export { canonicalJson };

/**
 * The audit log is one hash chain: hash_n = sha256(prevHash_n + "\n" + canonical(event_n)),
 * with prevHash_1 = "genesis". canonical() is JSON with keys sorted at every depth, so the same
 * event always encodes to the same bytes, in the server, in exports and in the verifier.
 */
export const GENESIS_HASH = 'genesis';

/** The hashed content of an event. `seq` is not part of it: the chain, not the counter, orders. */
export type TAuditEventBody = {
  occurredAt: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  environmentId: string | null;
  namespace: string | null;
  ingressName: string | null;
  changeRequestId: string | null;
  reason: string | null;
  details: unknown;
};

export type TChainedAuditEvent = TAuditEventBody & { seq: string; prevHash: string; hash: string };

export function hashAuditEvent(prevHash: string, body: TAuditEventBody): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(body)}`)
    .digest('hex');
}

export type TVerifyResult =
  { ok: true; count: number; headHash: string } | { ok: false; count: number; brokenAt: { seq: string; index: number; reason: string } };

/**
 * Recomputes the chain over events in order. Cases: empty → ok with head "genesis"; an event
 * whose prevHash is not its predecessor's hash (deleted/reordered) or whose hash does not match
 * its content (edited) → the first such event is reported; otherwise ok with the head hash.
 */
export function verifyAuditChain(events: Iterable<TChainedAuditEvent>, startPrevHash = GENESIS_HASH): TVerifyResult {
  const verifier = createChainVerifier(startPrevHash);
  for (const event of events) {
    const result = verifier.push(event);
    if (result) return result;
  }
  return verifier.finish();
}

/** Streaming form of verifyAuditChain, for exports too large to hold in memory. */
export function createChainVerifier(startPrevHash = GENESIS_HASH) {
  let prev = startPrevHash;
  let count = 0;
  return {
    push(event: TChainedAuditEvent): TVerifyResult | null {
      const { prevHash, hash, seq, ...body } = event;
      if (prevHash !== prev) {
        return {
          ok: false,
          count,
          brokenAt: {
            seq,
            index: count,
            reason: `prevHash does not match the previous event's hash (an event before it was removed or reordered)`,
          },
        };
      }
      if (hashAuditEvent(prevHash, body) !== hash) {
        return {
          ok: false,
          count,
          brokenAt: { seq, index: count, reason: 'hash does not match the event content (the event was modified)' },
        };
      }
      prev = hash;
      count += 1;
      return null;
    },
    finish(): TVerifyResult {
      return { ok: true, count, headHash: prev };
    },
  };
}
