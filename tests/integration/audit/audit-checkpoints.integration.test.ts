import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '@/lib/domain/audit/audit-chain';
import { hashAuditEvent } from '@/lib/domain/audit/audit-chain';
import type { TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '@/lib/server/audit/append-audit-event';
import { auditPageAfter, auditReadPool, toChainedEvent } from '@/lib/server/audit/audit-query';
import { exportAuditEvents } from '@/lib/server/audit/export-audit-events';
import { verifyLiveAuditChain } from '@/lib/server/audit/verify-live-audit-chain';
import { writeAuditCheckpoint } from '@/lib/server/audit/write-audit-checkpoint';
import { loadActor } from '@/lib/server/auth/load-actor';
import { Prisma } from '@/lib/generated/prisma/client';
import { createUser } from '@/lib/server/seed/factories';
import { db, resetDb, testDatabaseUrl } from '../helpers';

// The attack of issue 11, item 9: a database superuser rewrites an event and recomputes every
// hash after it, so the unkeyed chain verifies again. A checkpoint signed before the rewrite
// with a key outside the database must expose it.

let owner: pg.Client;
beforeAll(async () => {
  owner = new pg.Client({ connectionString: testDatabaseUrl() });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
});
beforeEach(resetDb);

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

async function auditor(): Promise<TActor> {
  const user = await createUser(db(), { email: 'auditor@example.com', roles: ['AUDITOR'] });
  return (await loadActor(user.id))!;
}

async function append(i: number) {
  await db().$transaction((tx) =>
    appendAuditEvent(tx, { actor: { system: 'system' }, action: 'test.event', reason: `event ${i}`, details: { i } }),
  );
}

async function chainRows() {
  return (await auditPageAfter(auditReadPool(), '0', Prisma.sql`TRUE`, 10_000)).map(toChainedEvent);
}

/** The superuser's rewrite: edit event `seq`'s reason, then recompute its hash and every later one. */
async function rewriteAndRehash(seq: string, reason: string) {
  await owner.query('SET session_replication_role = replica');
  try {
    await owner.query('UPDATE audit_events SET reason = $1 WHERE seq = $2', [reason, seq]);
    let prev: string | null = null;
    for (const event of await chainRows()) {
      if (BigInt(event.seq) < BigInt(seq)) {
        prev = event.hash;
        continue;
      }
      const { seq: s, prevHash: _p, hash: _h, ...body } = event;
      const prevHash = prev ?? 'genesis';
      const hash = hashAuditEvent(prevHash, body);
      await owner.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3', [prevHash, hash, s]);
      prev = hash;
    }
  } finally {
    await owner.query('SET session_replication_role = DEFAULT');
  }
}

async function exportFile(actor: TActor): Promise<string> {
  const exported = await exportAuditEvents(actor, {}, { format: 'ndjson' });
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'checkpoint-')), 'export.ndjson');
  await writeFile(file, await new Response(exported.stream).text());
  return file;
}

async function auditVerify(file: string, env: Record<string, string | undefined> = {}) {
  return run(tsx, ['scripts/audit-verify.ts', file], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

describe('signed audit checkpoints', () => {
  it('a rewritten event with recomputed hashes verifies as a chain, but fails on the checkpoint: live, in an export, and in audit:verify', async () => {
    const actor = await auditor();
    for (let i = 1; i <= 6; i += 1) await append(i);
    expect(await writeAuditCheckpoint()).toMatchObject({ seq: '6' });

    await rewriteAndRehash('3', 'nothing to see here');
    // The unkeyed chain alone is fooled: this is the hole.
    expect(verifyAuditChain(await chainRows())).toMatchObject({ ok: true, count: 6 });

    expect(await verifyLiveAuditChain(actor)).toMatchObject({
      ok: false,
      brokenAt: { seq: '6', reason: expect.stringMatching(/checkpoint signed at .* says [0-9a-f]{64}: the log was rewritten/) },
    });
    const result = await auditVerify(await exportFile(actor));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^BROKEN at line \d+ \(event seq 6\): the chain has hash [0-9a-f]{64} at seq 6, but the checkpoint signed at/,
    );
  });

  it('re-writing the checkpoint too fails on its signature, which needs the key', async () => {
    const actor = await auditor();
    for (let i = 1; i <= 4; i += 1) await append(i);
    await writeAuditCheckpoint();
    await rewriteAndRehash('2', 'rewritten');
    await owner.query(`UPDATE audit_checkpoints SET hash = (SELECT hash FROM audit_events WHERE seq = 4) WHERE seq = 4`);
    expect(await verifyLiveAuditChain(actor)).toMatchObject({
      ok: false,
      brokenAt: { seq: '4', reason: 'the checkpoint at seq 4 has an invalid signature (forged or edited)' },
    });
    const result = await auditVerify(await exportFile(actor));
    expect(result).toMatchObject({ code: 1, stdout: expect.stringMatching(/invalid signature \(forged or edited\)/) });
  });

  it('an intact log verifies with its checkpoints; without the key the CLI says the signatures were not checked', async () => {
    const actor = await auditor();
    for (let i = 1; i <= 3; i += 1) await append(i);
    await writeAuditCheckpoint();
    expect(await verifyLiveAuditChain(actor)).toMatchObject({ ok: true, count: 3, checkpoints: 1 });
    const file = await exportFile(actor); // + audit.exported (seq 4) and the export's own checkpoint
    expect(await auditVerify(file)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^4 events verified, from genesis, head hash [0-9a-f]{64}; 2 signed checkpoint\(s\) verified, the latest at seq 4\n$/,
      ),
    });
    expect(await auditVerify(file, { INGRESS_GATE_SECRET_KEY: '', INGRESS_GATE_AUDIT_KEY: '' })).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/2 checkpoint\(s\) match the chain but their signatures were NOT checked/),
    });
    const other = await auditVerify(file, { INGRESS_GATE_AUDIT_KEY: 'L2dMRC1R1XFWlv6Yf/8Pq6ZyN5KYkER+jZp3r8f2QZ0=' });
    expect(other).toMatchObject({ code: 1, stdout: expect.stringMatching(/was signed with key [0-9a-f]{16}, not the key given/) });
  });

  it('the periodic checkpoint is written only when the head moved and the interval passed', async () => {
    const t = (m: number) => new Date(Date.UTC(2026, 10, 29, 8, m));
    expect(await writeAuditCheckpoint({ now: t(0), minIntervalMs: 600_000 })).toBeNull(); // empty log
    await append(1);
    expect(await writeAuditCheckpoint({ now: t(0), minIntervalMs: 600_000 })).toMatchObject({ seq: '1' });
    expect(await writeAuditCheckpoint({ now: t(20), minIntervalMs: 600_000 })).toBeNull(); // head unchanged
    await append(2);
    expect(await writeAuditCheckpoint({ now: t(5), minIntervalMs: 600_000 })).toBeNull(); // too soon
    expect(await writeAuditCheckpoint({ now: t(11), minIntervalMs: 600_000 })).toMatchObject({ seq: '2' });
    expect(await db().auditCheckpoint.count()).toBe(2);
  });
});
