import { beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS, csvLine } from '@/lib/domain/audit/audit-csv';
import { ndjsonEvent } from '@/lib/domain/audit/audit-export-format';
import { appendAuditEvent } from '@/lib/server/audit/append-audit-event';
import { inlineSql } from '@/lib/server/audit/copy-column';
import { exportAuditEvents } from '@/lib/server/audit/export-audit-events';
import { loadActor } from '@/lib/server/auth/load-actor';
import { Prisma } from '@/lib/generated/prisma/client';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from '../helpers';

// The export streams PostgreSQL's bytes out of COPY (FORMAT binary). Its lines must be exactly what
// the TypeScript rules (csvLine, ndjsonEvent) produce for the same events — for text that COPY's
// text format would have escaped (backslashes, tabs, newlines), quotes, formulas and non-ASCII.
beforeEach(resetDb);

const HOSTILE = [
  'plain',
  'back\\slash and \\n literally',
  'tab\there',
  'line\nbreak and\r\ncrlf',
  '"quoted", with comma',
  '=HYPERLINK("http://x","y")',
  '-1+2',
  '@sum',
  'ünïcödé — 日本語 🚀',
  '',
];

describe('audit export through COPY', () => {
  it('CSV cells and NDJSON events equal csvLine / ndjsonEvent of every stored event (hostile text, page boundaries)', async () => {
    const env = await createEnvironment(db(), { name: 'copy-env' });
    const user = await createUser(db(), { email: 'copy-auditor@example.com', roles: ['AUDITOR'] });
    const auditor = (await loadActor(user.id))!;
    for (const [i, text] of HOSTILE.entries()) {
      await db().$transaction((tx) =>
        appendAuditEvent(tx, {
          actor: { system: 'system' },
          action: 'test.hostile',
          environmentId: i % 2 ? env.id : null,
          namespace: text || null,
          ingressName: `web-${i}`,
          reason: text,
          details: { text, nested: { quote: '"', backslash: '\\', i } },
        }),
      );
    }
    const events = await db().auditEvent.findMany({
      where: { action: 'test.hostile' },
      orderBy: { seq: 'asc' },
      include: { environment: true },
    });
    const csv = await new Response(
      (await exportAuditEvents(auditor, { action: 'test.hostile' }, { format: 'csv', pageSize: 3 })).stream,
    ).text();
    // details as jsonb renders them (`{"a": 1, "b": "x"}`): compare cells other than details exactly, details as JSON.
    const rows = (s: string) => s.split('\r\n').filter(Boolean);
    expect(rows(csv).length).toBe(1 + events.length + events.filter((e) => /\r\n/.test(e.reason ?? '')).length * 2);
    expect(csv.startsWith(csvLine(AUDIT_CSV_COLUMNS))).toBe(true);
    for (const [i, e] of events.entries()) {
      const line = csvLine([e.seq.toString(), e.occurredAt.toISOString(), e.actorLabel, e.actorId, e.action, e.environment?.name ?? null]);
      expect(csv).toContain(line.slice(0, -2));
      expect(csv).toContain(csvLine([e.prevHash, e.hash]));
      expect(csv, `event ${i}`).toContain(csvLine([e.reason]).slice(0, -2));
    }
    const ndjson = await new Response(
      (await exportAuditEvents(auditor, { action: 'test.hostile' }, { format: 'ndjson', pageSize: 4 })).stream,
    ).text();
    const eventLines = ndjson.split('\n').filter((l) => l.startsWith('{"type" : "event"'));
    expect(eventLines).toHaveLength(events.length);
    for (const [i, e] of events.entries()) {
      const want = ndjsonEvent({
        seq: e.seq.toString(),
        occurredAt: e.occurredAt.toISOString(),
        actorId: e.actorId,
        actorLabel: e.actorLabel,
        action: e.action,
        environmentId: e.environmentId,
        namespace: e.namespace,
        ingressName: e.ingressName,
        changeRequestId: e.changeRequestId,
        reason: e.reason,
        details: e.details,
        prevHash: e.prevHash,
        hash: e.hash,
      });
      expect(JSON.parse(eventLines[i]!), `event ${i}`).toEqual(JSON.parse(want));
    }
    const end = JSON.parse(ndjson.trim().split('\n').at(-1)!) as { events: number; headHash: string };
    expect(end.events).toBe(events.length);
    expect(end.headHash).toBe(events.at(-1)!.hash);
  });

  it('inlines values as literals that PostgreSQL reads back unchanged', async () => {
    const values = ["it's", 'back\\slash', 'ünï', "'; DROP TABLE users; --", '$1 $2'];
    for (const v of values) {
      const text = inlineSql(Prisma.sql`SELECT ${v}::text AS v, ${42} AS n, ${[v, 'x']}::text[] AS a`);
      const rows = await db().$queryRawUnsafe<{ v: string; n: number; a: string[] }[]>(text);
      expect(rows[0]).toEqual({ v, n: 42, a: [v, 'x'] });
    }
  });
});
