import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashAuditEvent, type TAuditEventBody, type TChainedAuditEvent } from './audit-chain';
import { createExportVerifier, ndjsonEvent, ndjsonLink } from './audit-export-format';
import { auditExportFileName, toRange, ZAuditFilter } from './audit-filter';

function chain(n: number): TChainedAuditEvent[] {
  const out: TChainedAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const body: TAuditEventBody = {
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actorId: null,
      actorLabel: 'system',
      action: i % 2 ? 'a.one' : 'b.two',
      environmentId: null,
      namespace: null,
      ingressName: null,
      changeRequestId: null,
      reason: `r${i}`,
      details: { i, nested: { z: 1, a: [1, 'x'] } },
    };
    const hash = hashAuditEvent(prev, body);
    out.push({ ...body, seq: String(i), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

function verify(lines: string[]) {
  const v = createExportVerifier();
  for (const l of lines) {
    const r = v.pushLine(l);
    if (r) return r;
  }
  return v.finish();
}

const end = (events: number, links: number, head: string | null) => JSON.stringify({ type: 'end', events, links, headHash: head });

describe('createExportVerifier', () => {
  const events = chain(5);
  const full = [JSON.stringify({ type: 'header' }), ...events.map((e) => ndjsonEvent(e).trimEnd()), end(5, 0, events[4]!.hash)];

  it('verifies an intact export from genesis', () => {
    expect(verify(full)).toEqual({
      ok: true,
      events: 5,
      links: 0,
      headHash: events[4]!.hash,
      startPrevHash: 'genesis',
      isFromGenesis: true,
      checkpoints: { count: 0, checked: false, latestSeq: null },
    });
  });

  it('verifies a filtered export whose other events are links', () => {
    const lines = events.slice(1).map((e) => (e.action === 'a.one' ? ndjsonEvent(e) : ndjsonLink(e)).trimEnd());
    const r = verify([...lines, end(2, 2, events[4]!.hash)]);
    expect(r).toMatchObject({ ok: true, events: 2, links: 2, isFromGenesis: false, startPrevHash: events[0]!.hash });
  });

  it('reports an edited event at its line and seq', () => {
    const edited = [...full];
    edited[3] = edited[3]!.replace('"r3"', '"r3 (edited)"');
    expect(verify(edited)).toMatchObject({ ok: false, line: 4, seq: '3', eventsVerified: 2 });
  });

  it('reports a removed event at the event after it', () => {
    const removed = full.filter((_, i) => i !== 2);
    expect(verify(removed)).toMatchObject({ ok: false, seq: '3', reason: expect.stringMatching(/removed/) });
  });

  it('reports a file cut short', () => {
    expect(verify(full.slice(0, -2))).toMatchObject({ ok: false, reason: expect.stringMatching(/cut short/) });
  });

  it('reports an end record that disagrees', () => {
    expect(verify([...full.slice(0, -1), end(4, 0, events[4]!.hash)])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/end record says 4/),
    });
  });

  it('reports a line that is not JSON', () => {
    expect(verify(['{nope'])).toMatchObject({ ok: false, line: 1, reason: 'the line is not valid JSON' });
  });
});

describe('audit filter', () => {
  it('treats empty form fields as unset and reads a date-only "to" as the whole day', () => {
    const f = ZAuditFilter.parse({ from: '2026-01-01', to: '2026-01-31', actor: '', action: ' ' });
    expect(f).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(toRange(f)).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') });
  });

  it('rejects a bad date, a reversed range and a non-UUID request id, naming the field', () => {
    const r = ZAuditFilter.safeParse({ from: '31/01/2026', changeRequestId: '42' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['changeRequestId', 'from']);
    expect(ZAuditFilter.safeParse({ from: '2026-02-01', to: '2026-01-01' }).error!.issues[0]!.path).toEqual(['to']);
  });

  it('names export files by range and export time', () => {
    const at = new Date('2026-02-01T09:30:00.123Z');
    expect(auditExportFileName({ from: '2026-01-01', to: '2026-01-31' }, at, 'csv')).toBe(
      'audit_20260101_20260131_exported-20260201T093000Z.csv',
    );
    expect(auditExportFileName({}, at, 'ndjson')).toBe('audit_beginning_now_exported-20260201T093000Z.ndjson');
  });
});
