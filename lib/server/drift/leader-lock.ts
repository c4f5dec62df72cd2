import pg from 'pg';
import { errorReason } from '../errors';

/**
 * Leader election by PostgreSQL advisory lock (issue 19): each environment's watch and drift
 * detection runs on exactly one worker at a time. A session-level advisory lock per environment
 * (`pg_try_advisory_lock(hashtext('ingress-gate:drift'), hashtext(environmentId))`) is taken on a
 * connection of its own, never a pooled one: the lock lives exactly as long as that session.
 *
 * - The holder dies (kill -9, OOM, node lost): its connection closes, PostgreSQL ends the session
 *   and frees the lock; another worker's next attempt (every `retryMs`, default 1 s) takes it.
 *   A node that vanishes without closing its socket is noticed by TCP keepalive (on here).
 * - The holder loses its connection (database restart, network): the 'error'/'end' of the client,
 *   or the liveness query each attempt runs, tells it at once; it calls `onLost` for every
 *   environment it held (the caller stops those watches), then reconnects and competes again.
 * Locks are not re-entered: a key already held is not asked for again.
 */
export type TLeaderLock = {
  /** Try to take the lock of each key not already held; returns the keys held now. */
  attempt: (keys: readonly string[]) => Promise<ReadonlySet<string>>;
  /** Give up one key (its environment was disabled, deleted or reconfigured). */
  release: (key: string) => Promise<void>;
  held: () => ReadonlySet<string>;
  /** Frees every lock by closing the session. */
  close: () => Promise<void>;
};

export type TLeaderLockOptions = {
  databaseUrl: string;
  /** Called once for each key held when the session is lost: stop its work at once. */
  onLost: (key: string) => void;
  log: (line: string) => void;
};

const NAMESPACE = 'ingress-gate:drift';

export function leaderLock(opts: TLeaderLockOptions): TLeaderLock {
  const held = new Set<string>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;

  const lose = (client_: pg.Client, why: string) => {
    if (client !== client_) return;
    client = null;
    const lost = [...held];
    held.clear();
    if (lost.length) opts.log(`leader session lost (${why}): stepping down for ${lost.length} environment(s)`);
    for (const k of lost) opts.onLost(k);
    void client_.end().catch(() => undefined);
  };

  const connect = async (): Promise<pg.Client> => {
    if (client) return client;
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: opts.databaseUrl, keepAlive: true, application_name: 'ingress-gate leader' });
      c.on('error', (error) => lose(c, errorReason(error)));
      c.on('end', () => lose(c, 'connection closed'));
      try {
        await c.connect();
      } catch (error) {
        void c.end().catch(() => undefined);
        throw error;
      }
      client = c;
      return c;
    })().finally(() => (connecting = null));
    return connecting;
  };

  return {
    held: () => held,
    async attempt(keys) {
      if (closed) return held;
      let c: pg.Client;
      try {
        c = await connect();
        // Liveness: a session that no longer answers holds nothing we can count on.
        await c.query('SELECT 1');
      } catch (error) {
        if (client) lose(client, errorReason(error));
        return held;
      }
      for (const key of keys) {
        if (held.has(key) || closed || client !== c) continue;
        try {
          const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [NAMESPACE, key]);
          if (r.rows[0]?.ok && client === c) held.add(key);
        } catch (error) {
          lose(c, errorReason(error));
        }
      }
      return held;
    },
    async release(key) {
      if (!held.delete(key) || !client) return;
      await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [NAMESPACE, key]).catch(() => undefined);
    },
    async close() {
      closed = true;
      held.clear();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
