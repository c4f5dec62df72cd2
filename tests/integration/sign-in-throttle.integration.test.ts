import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInWithPassword } from '@/lib/server/auth/sign-in-with-password';
import { createUser } from '@/lib/server/seed/factories';
import { db, resetDb, testDatabaseUrl } from './helpers';

// Brute force as the issue measured it (120 wrong passwords in a row, nothing stopped them),
// against the real sign-in operation and PostgreSQL-held counters.

let sql: pg.Client;
beforeAll(async () => {
  sql = new pg.Client({ connectionString: testDatabaseUrl() });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
});
beforeEach(resetDb);

const EMAIL = 'victim@example.com';
const PASSWORD = 'correct horse battery staple';
const wrong = (n: number) => ({ email: EMAIL, password: `guess-${n}` });

async function actions() {
  return (await db().auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { action: true } })).map((e) => e.action);
}

/** Lets the current block run out, as if its time had passed (the counters are rows with an expiry). */
async function expireBlocks() {
  await sql.query(`UPDATE sign_in_throttle SET expire = $1 WHERE key LIKE 'until:%'`, [Date.now() - 1]);
}

describe('sign-in throttling', () => {
  it('the 11th wrong password within a minute is throttled without checking it, and every attempt is audited', async () => {
    await createUser(db(), { email: EMAIL, password: PASSWORD, roles: ['REQUESTER'] });
    for (let i = 1; i <= 9; i += 1) {
      expect(await signInWithPassword(wrong(i), { address: '198.51.100.1' })).toMatchObject({ reason: 'invalid-credentials' });
    }
    const tenth = await signInWithPassword(wrong(10), { address: '198.51.100.1' });
    expect(tenth).toMatchObject({ reason: 'invalid-credentials', retryAfterSeconds: 30 });
    const eleventh = await signInWithPassword(wrong(11), { address: '198.51.100.1' });
    expect(eleventh).toMatchObject({ ok: false, reason: 'throttled' });
    expect(eleventh.ok === false && eleventh.retryAfterSeconds).toBeGreaterThan(25);
    expect(eleventh.ok === false && eleventh.message).toMatch(/^Too many failed sign-ins\. Try again in \d+ s\.$/);
    // While blocked, even the right password is refused (else the block would be an oracle).
    expect(await signInWithPassword({ email: EMAIL, password: PASSWORD }, { address: '198.51.100.2' })).toMatchObject({
      reason: 'throttled',
    });
    expect(await actions()).toEqual([
      ...Array<string>(10).fill('user.sign-in-failed'),
      'user.sign-in-locked',
      'user.sign-in-throttled',
      'user.sign-in-throttled',
    ]);
    const lock = await db().auditEvent.findFirstOrThrow({ where: { action: 'user.sign-in-locked' } });
    expect(lock).toMatchObject({
      actorLabel: EMAIL,
      details: { email: EMAIL, scope: 'account', seconds: 30, blockNumber: 1, isLock: false, address: '198.51.100.1' },
    });
  });

  it('the delays grow (30 s, 1, 2, 4 min), then the account is locked for 15 minutes; success clears it', async () => {
    await createUser(db(), { email: EMAIL, password: PASSWORD, roles: ['REQUESTER'] });
    for (let i = 1; i <= 9; i += 1) await signInWithPassword(wrong(i));
    const waits: (number | undefined)[] = [];
    for (let i = 10; i <= 15; i += 1) {
      const r = await signInWithPassword(wrong(i));
      waits.push(r.ok ? undefined : r.retryAfterSeconds);
      await expireBlocks();
    }
    expect(waits).toEqual([30, 60, 120, 240, 900, 900]);
    const locks = await db().auditEvent.findMany({ where: { action: 'user.sign-in-locked' }, orderBy: { seq: 'asc' } });
    expect(locks.map((l) => (l.details as { isLock: boolean }).isLock)).toEqual([false, false, false, false, true, true]);
    expect(await signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({ ok: true });
    // Counters cleared: the next typo is an ordinary failure again.
    expect(await signInWithPassword(wrong(99))).toEqual({ ok: false, reason: 'invalid-credentials', message: 'Wrong email or password.' });
  });

  it('a burst of parallel guesses gets no more password checks than a sequence', async () => {
    await createUser(db(), { email: EMAIL, password: PASSWORD, roles: ['REQUESTER'] });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => signInWithPassword(wrong(i), { address: `192.0.2.${i}` })));
    expect(results.filter((r) => !r.ok && r.reason === 'invalid-credentials')).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(15);
  });

  it('one address spraying many accounts is throttled after 50 failures; other addresses are not', async () => {
    for (let i = 0; i < 50; i += 1) {
      expect(await signInWithPassword({ email: `user${i}@example.com`, password: 'nope' }, { address: '203.0.113.66' })).toMatchObject({
        reason: 'invalid-credentials',
      });
    }
    expect(await signInWithPassword({ email: 'another@example.com', password: 'nope' }, { address: '203.0.113.66' })).toMatchObject({
      reason: 'throttled',
    });
    expect(await signInWithPassword({ email: 'another@example.com', password: 'nope' }, { address: '203.0.113.67' })).toMatchObject({
      reason: 'invalid-credentials',
    });
    const lock = await db().auditEvent.findFirstOrThrow({ where: { action: 'user.sign-in-locked' } });
    expect(lock).toMatchObject({ actorLabel: 'anonymous', details: { scope: 'address', address: '203.0.113.66' } });
  });
});
