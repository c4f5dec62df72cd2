import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * Applies the committed SQL under prisma/migrations in name order, each in its own transaction,
 * and records it in `_prisma_migrations` exactly as `prisma migrate deploy` would (same table,
 * same sha256 checksum of the file), so `prisma migrate status` on a machine that has Prisma's
 * schema engine agrees. Prisma's engine is a native download this project cannot rely on
 * (ARCHITECTURE.md, decision 3).
 *
 * Cases: fresh database → all applied; partly migrated → the rest applied; a recorded migration
 * whose file changed → refuses (checksum mismatch); a failed earlier run → refuses until fixed.
 */
export async function deployMigrations(
  databaseUrl: string,
  opts: { migrationsDir?: string; log?: (line: string) => void } = {},
): Promise<{ applied: string[]; alreadyApplied: number }> {
  const dir = opts.migrationsDir ?? path.resolve(process.cwd(), 'prisma/migrations');
  const log = opts.log ?? (() => {});
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Prisma's own advisory lock id, so this and `prisma migrate deploy` never run at once.
    await client.query('SELECT pg_advisory_lock(72707369)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const recorded = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const byName = new Map(recorded.rows.map((r) => [r.migration_name, r]));
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const applied: string[] = [];
    let alreadyApplied = 0;
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const prior = byName.get(name);
      if (prior) {
        if (!prior.finished_at) {
          throw new Error(`Migration ${name} failed earlier and was not marked rolled back; fix the database first.`);
        }
        if (prior.checksum !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied (checksum mismatch). Write a new migration instead.`);
        }
        alreadyApplied += 1;
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, checksum, name],
        );
        await client.query(sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
      log(`applied ${name}`);
    }
    return { applied, alreadyApplied };
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707369)').catch(() => {});
    await client.end();
  }
}
