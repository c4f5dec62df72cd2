import { GENESIS_HASH, hashAuditEvent, type TChainedAuditEvent } from './audit-chain';
import { checkCheckpointSignature, type TSignedCheckpoint } from './audit-checkpoint';

/**
 * The NDJSON export: one JSON object per line.
 *   {"type":"header","format":"ingress-gate-audit/v1","exportedAt":…,"filter":{…}}
 *   {"type":"checkpoint", seq, hash, createdAt, keyId, signature}   signed checkpoints within the
 *                                             covered range, before the chain (audit-checkpoint.ts)
 *   {"type":"event", seq, occurredAt, actorId, actorLabel, action, …, details, prevHash, hash}
 *   {"type":"link", seq, prevHash, hash}      an event outside the filter: its place in the chain only
 *   {"type":"end","events":N,"links":M,"headHash":…}
 * A filtered export covers the chain from its first to its last matching event, so the links
 * prove no event between them was removed, without disclosing the others' content; an unfiltered
 * export is the whole chain from "genesis". The end record detects a truncated file.
 */
export const AUDIT_EXPORT_FORMAT = 'ingress-gate-audit/v1';

export type TExportHeader = { type: 'header'; format: typeof AUDIT_EXPORT_FORMAT; exportedAt: string; filter: Record<string, string> };
export type TExportEvent = { type: 'event' } & TChainedAuditEvent;
export type TExportLink = { type: 'link'; seq: string; prevHash: string; hash: string };
export type TExportEnd = { type: 'end'; events: number; links: number; headHash: string | null };
export type TExportCheckpoint = { type: 'checkpoint' } & TSignedCheckpoint;

export function ndjsonCheckpoint(c: TSignedCheckpoint): string {
  return `${JSON.stringify({ type: 'checkpoint', seq: c.seq, hash: c.hash, createdAt: c.createdAt, keyId: c.keyId, signature: c.signature })}\n`;
}

export function ndjsonEvent(event: TChainedAuditEvent): string {
  return `${JSON.stringify({ type: 'event', ...event })}\n`;
}

export function ndjsonLink(link: Omit<TExportLink, 'type'>): string {
  return `{"type":"link","seq":${JSON.stringify(link.seq)},"prevHash":${JSON.stringify(link.prevHash)},"hash":${JSON.stringify(link.hash)}}\n`;
}

export type TExportVerifyResult =
  | {
      ok: true;
      events: number;
      links: number;
      headHash: string;
      startPrevHash: string;
      isFromGenesis: boolean;
      /** Signed checkpoints in the file; `checked` is false when no key was given. */
      checkpoints: { count: number; checked: boolean; latestSeq: string | null };
    }
  | { ok: false; line: number; seq: string | null; reason: string; eventsVerified: number };

/**
 * Verifies an export line by line, holding only the previous hash. Cases, first failure wins:
 * - a line that is not JSON, or a record of unknown type → broken at that line
 * - a chain record (event or link) whose prevHash is not the previous record's hash → an event
 *   was removed, inserted or reordered (the first record sets the starting point; it is
 *   "genesis" for an unfiltered export)
 * - an event whose hash does not match its content → the event was modified
 * - an end record whose counts or head hash disagree with what came before, or no end record at
 *   all → the file was cut short or edited
 * - with a key: a checkpoint whose signature does not verify → forged or edited; a chain record
 *   whose hash differs from what a checkpoint signed for its seq → the chain was rewritten (and
 *   rehashed) after that checkpoint; a checkpoint whose seq never appears → events were removed
 * - a checkpoint record after the first chain record → misplaced
 * Without a key, checkpoints are compared with the chain but their signatures are not checked
 * (the result says so). Blank lines are ignored. Plain objects without `type` are events.
 */
export function createExportVerifier(opts: { checkpointKey?: Buffer | null } = {}) {
  const key = opts.checkpointKey ?? null;
  const signed = new Map<string, TSignedCheckpoint>();
  const seen = new Set<string>();
  let line = 0;
  let prev: string | null = null;
  let start: string | null = null;
  let events = 0;
  let links = 0;
  let end: TExportEnd | null = null;
  let failure: Extract<TExportVerifyResult, { ok: false }> | null = null;

  const fail = (seq: string | null, reason: string) => {
    failure = { ok: false, line, seq, reason, eventsVerified: events };
    return failure;
  };

  return {
    /** Feeds one line; returns the failure once the chain is broken (and on every later call). */
    pushLine(text: string): TExportVerifyResult | null {
      if (failure) return failure;
      line += 1;
      if (text.trim() === '') return null;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return fail(null, 'the line is not valid JSON');
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) return fail(null, 'the line is not a JSON object');
      if (end) return fail(typeof record.seq === 'string' ? record.seq : null, 'a record follows the end record');
      const type = record.type ?? 'event';
      if (type === 'header') return null;
      if (type === 'checkpoint') {
        const c = record as unknown as TSignedCheckpoint;
        const seqText = String(c.seq);
        if (prev !== null) return fail(seqText, 'a checkpoint record follows the events (checkpoints come first)');
        if (typeof c.hash !== 'string' || typeof c.signature !== 'string') return fail(seqText, 'the checkpoint has no hash/signature');
        if (key) {
          const check = checkCheckpointSignature(key, { ...c, seq: seqText });
          if (!check.ok) return fail(seqText, check.reason);
        }
        signed.set(seqText, { ...c, seq: seqText });
        return null;
      }
      if (type === 'end') {
        end = record as unknown as TExportEnd;
        return null;
      }
      if (type !== 'event' && type !== 'link') return fail(null, `unknown record type ${JSON.stringify(type)}`);
      const seq = typeof record.seq === 'string' ? record.seq : String(record.seq ?? '');
      if (typeof record.prevHash !== 'string' || typeof record.hash !== 'string') return fail(seq, 'the record has no prevHash/hash');
      if (prev === null) {
        start = record.prevHash;
        prev = record.prevHash;
      }
      if (record.prevHash !== prev) {
        return fail(
          seq,
          `prevHash ${record.prevHash} is not the previous event's hash ${prev} (an event before it was removed, inserted or reordered)`,
        );
      }
      const checkpoint = signed.get(seq);
      if (checkpoint) {
        seen.add(seq);
        if (checkpoint.hash !== record.hash) {
          return fail(
            seq,
            `the chain has hash ${String(record.hash)} at seq ${seq}, but the checkpoint signed at ${checkpoint.createdAt} says ${checkpoint.hash}: the log was rewritten and its hashes recomputed after that checkpoint`,
          );
        }
      }
      if (type === 'event') {
        const { type: _t, prevHash, hash, seq: _s, ...body } = record;
        const recomputed = hashAuditEvent(prevHash as string, body as Parameters<typeof hashAuditEvent>[1]);
        if (recomputed !== hash)
          return fail(
            seq,
            `hash does not match the event's content (the event was modified): recomputed ${recomputed}, stored ${String(hash)}`,
          );
        events += 1;
      } else {
        links += 1;
      }
      prev = record.hash;
      return null;
    },
    finish(): TExportVerifyResult {
      if (failure) return failure;
      if (!end) {
        line += 1;
        return fail(null, 'the export has no end record: the file was cut short');
      }
      const e: TExportEnd = end;
      if (e.events !== events || e.links !== links || (e.headHash ?? null) !== prev) {
        return fail(
          null,
          `the end record says ${e.events} events, ${e.links} links, head ${e.headHash}, but the file holds ${events} events, ${links} links, head ${prev}`,
        );
      }
      const missing = [...signed.keys()].find((seq) => !seen.has(seq));
      if (missing) return fail(missing, `the checkpoint at seq ${missing} names an event that is not in the export (events were removed)`);
      const head = prev ?? GENESIS_HASH;
      const seqs = [...signed.keys()].map(BigInt);
      const latest = seqs.length ? seqs.reduce((a, b) => (a > b ? a : b)).toString() : null;
      return {
        ok: true,
        events,
        links,
        headHash: head,
        startPrevHash: start ?? GENESIS_HASH,
        isFromGenesis: (start ?? GENESIS_HASH) === GENESIS_HASH,
        checkpoints: { count: signed.size, checked: key !== null, latestSeq: latest },
      };
    },
  };
}

/** The verifier's verdict in one sentence, as the CLI and the page print it. */
export function describeVerifyResult(result: TExportVerifyResult): string {
  if (!result.ok) {
    return `BROKEN at line ${result.line}${result.seq ? ` (event seq ${result.seq})` : ''}: ${result.reason}. ${result.eventsVerified} events verified before it.`;
  }
  const scope = result.isFromGenesis ? 'from genesis' : `from prev hash ${result.startPrevHash}`;
  const links = result.links ? ` (+${result.links} linked events outside the filter)` : '';
  const c = result.checkpoints;
  const checkpoints = !c.count
    ? '; no signed checkpoint in range'
    : c.checked
      ? `; ${c.count} signed checkpoint(s) verified, the latest at seq ${c.latestSeq}`
      : `; ${c.count} checkpoint(s) match the chain but their signatures were NOT checked (no key: set INGRESS_GATE_SECRET_KEY or INGRESS_GATE_AUDIT_KEY)`;
  return `${result.events} events verified${links}, ${scope}, head hash ${result.headHash}${checkpoints}`;
}
