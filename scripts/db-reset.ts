// npm run db:reset — development only: drop everything in DATABASE_URL's public schema, migrate, seed.
import pg from 'pg';
import { createDb } from '../lib/server/db/client';
import { deployMigrations } from '../lib/server/db/migrations';
import { seedDemo } from '../lib/server/seed/seed-demo';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set.');
  process.exit(2);
}
if (process.env.NODE_ENV === 'production') {
  console.error('Refusing to reset a database with NODE_ENV=production.');
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS graphile_worker CASCADE; CREATE SCHEMA public;');
await client.end();
await deployMigrations(url, { log: console.log });
const db = createDb(url, 2);
await seedDemo(db);
await db.$disconnect();
console.log('Database reset, migrated and seeded.');
