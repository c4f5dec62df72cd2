import { createHash } from 'node:crypto';
import pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  BLOCK_HISTORY_SECONDS,
  blockAfterFailure,
  type TBlock,
  type TThrottlePolicy,
} from '@/lib/domain/auth/sign-in-throttle-policy';
import { env } from '../env';

// A small pool of its own: a sign-in holds one connection (and its advisory locks) while the
// password is checked, and must never wait for a connection the rest of the app is using.
const globalForPool = globalThis as unknown as { ingressGateThrottlePool?: pg.Pool };
function throttlePool(): pg.Pool {
  globalForPool.ingressGateThrottlePool ??= new pg.Pool({ connectionString: env().DATABASE_URL, max: 4 });
  return globalForPool.ingressGateThrottlePool;
}

const TABLE = 'sign_in_throttle';
const MANY = 1_000_000_000; // counters that count, never refuse

type TScope = 'account' | 'address';
const POLICIES: Record<TScope, TThrottlePolicy> = { account: ACCOUNT_POLICY, address: ADDRESS_POLICY };

const keyOf = (scope: TScope, value: string) => `${scope}-${createHash('sha256').update(value).digest('hex')}`;

function limiters(client: pg.PoolClient, scope: TScope) {
  const common = { storeClient: client, storeType: 'client', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false };
  return {
    failures: new RateLimiterPostgres({ ...common, keyPrefix: 'fail', points: MANY, duration: POLICIES[scope].windowSeconds }),
    blocks: new RateLimiterPostgres({ ...common, keyPrefix: 'blocks', points: MANY, duration: BLOCK_HISTORY_SECONDS }),
    until: new RateLimiterPostgres({ ...common, keyPrefix: 'until', points: 1, duration: 1 }),
  };
}

export type TThrottleSubject = { email: string; address: string | null };
export type TNewBlock = TBlock & { scope: TScope };

export type TThrottleSession = {
  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(): Promise<number>;
  /** Counts a failure; returns the blocks it caused (for the audit log). */
  recordFailure(): Promise<{ failures: number; blocks: TNewBlock[] }>;
  /** After a successful sign-in: the account starts afresh. */
  recordSuccess(): Promise<void>;
};

/**
 * Runs one sign-in attempt under PostgreSQL advisory locks on its account and address, so
 * attempts on one account (from any replica, in parallel) are decided one after another: each
 * sees the block the previous one set, and a burst of parallel guesses gets no more tries than a
 * sequence. The counters are rate-limiter-flexible's PostgreSQL store on the same connection.
 */
export async function withSignInThrottle<T>(subject: TThrottleSubject, run: (throttle: TThrottleSession) => Promise<T>): Promise<T> {
  const scopes: { scope: TScope; key: string }[] = [{ scope: 'account', key: keyOf('account', subject.email) }];
  if (subject.address) scopes.push({ scope: 'address', key: keyOf('address', subject.address) });
  const client = await throttlePool().connect();
  try {
    // Sorted, so two attempts never take the same two locks in opposite orders.
    for (const { key } of [...scopes].sort((a, b) => a.key.localeCompare(b.key))) {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`sign-in:${key}`]);
    }
    const session: TThrottleSession = {
      async retryAfterSeconds() {
        let ms = 0;
        for (const { scope, key } of scopes) {
          const res = await limiters(client, scope).until.get(key);
          if (res && res.consumedPoints > 1 && res.msBeforeNext > 0) ms = Math.max(ms, res.msBeforeNext);
        }
        return Math.ceil(ms / 1000);
      },
      async recordFailure() {
        const blocks: TNewBlock[] = [];
        let accountFailures = 0;
        for (const { scope, key } of scopes) {
          const l = limiters(client, scope);
          const failures = (await l.failures.consume(key)).consumedPoints;
          if (scope === 'account') accountFailures = failures;
          const earlier = (await l.blocks.get(key))?.consumedPoints ?? 0;
          const block = blockAfterFailure(failures, earlier, POLICIES[scope]);
          if (!block) continue;
          await l.blocks.consume(key);
          await l.until.block(key, block.seconds);
          blocks.push({ ...block, scope });
        }
        return { failures: accountFailures, blocks };
      },
      async recordSuccess() {
        const account = scopes[0]!;
        const l = limiters(client, 'account');
        // One after another: they share one connection.
        for (const limiter of [l.failures, l.blocks, l.until]) await limiter.delete(account.key);
      },
    };
    const result = await run(session);
    // Expired counters are dead weight; a sign-in now and then sweeps them.
    if (Math.random() < 0.02) await client.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now() - 3_600_000]);
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
    client.release();
  }
}
