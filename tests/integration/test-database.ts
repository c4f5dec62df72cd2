import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type TEmbeddedPostgres } from '@/lib/server/db/embedded-postgres';
import { deployMigrations } from '@/lib/server/db/migrations';

/**
 * A fresh, migrated database for a test tier: TEST_DATABASE_URL's server when set (a scratch
 * database `name` is dropped and recreated on it), else an embedded PostgreSQL under .data/.
 * Recreating from the committed migrations each run is itself the proof that they apply.
 */
export async function prepareTestDatabase(baseName: string, embeddedPort: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const name = scratchDatabaseName(baseName);
  let embedded: TEmbeddedPostgres | null = null;
  let serverUrl: URL;
  if (process.env.TEST_DATABASE_URL) {
    serverUrl = new URL(process.env.TEST_DATABASE_URL);
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve('.data', `test-pg-${name}-${embeddedPort}`),
      port: embeddedPort,
      database: 'postgres',
    });
    serverUrl = new URL(embedded.url);
  }
  const admin = new pg.Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  await deployMigrations(url.toString());
  return {
    url: url.toString(),
    stop: async () => {
      await embedded?.stop();
    },
  };
}

/**
 * TEST_DB_SUFFIX lets several checkouts share one PostgreSQL server (each names its scratch
 * databases `<name>_<suffix>`), e.g. parallel worktrees on one machine.
 */
export function scratchDatabaseName(baseName: string): string {
  const suffix = process.env.TEST_DB_SUFFIX;
  if (!suffix) return baseName;
  if (!/^[a-z0-9_]{1,20}$/.test(suffix)) throw new Error(`TEST_DB_SUFFIX must match [a-z0-9_]{1,20}, got ${JSON.stringify(suffix)}`);
  return `${baseName}_${suffix}`;
}

/**
 * Empties every application table between tests. audit_events rejects TRUNCATE by trigger
 * (invariant 6), so this runs with session_replication_role = replica, which skips triggers;
 * only a superuser can do that, which is the point: the application cannot.
 */
export const RESET_SQL = `
  SET session_replication_role = replica;
  TRUNCATE TABLE audit_events, audit_checkpoints, comments, reviews, revisions, applied_versions, drift_records,
    change_requests, api_tokens, sessions, sign_in_throttle, oidc_accounts, role_assignments, environments, users,
    worker_heartbeats, chosen_reviewers, chosen_reviewer_groups, reviewer_group_members, reviewer_groups, notification_events, notification_deliveries, notification_attempts,
    notification_channels, notification_preferences, captured_mail RESTART IDENTITY CASCADE;
  SET session_replication_role = DEFAULT;
`;

export async function resetDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A worker running in the test process (notifications, applies) may hold row locks in another
    // table order than TRUNCATE takes its locks: PostgreSQL then aborts one side (deadlock, 40P01),
    // rolling the whole TRUNCATE back. Try again; the worker's transaction has finished by then.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(RESET_SQL);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
        await client.query('SET session_replication_role = DEFAULT').catch(() => {});
      }
    }
    // graphile-worker's jobs, when its schema exists.
    await client
      .query(
        `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker') THEN
      EXECUTE 'TRUNCATE graphile_worker._private_jobs, graphile_worker._private_job_queues CASCADE'; END IF; END $$;`,
      )
      .catch(() => {});
  } finally {
    await client.end();
  }
}
