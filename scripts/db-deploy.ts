// npm run db:deploy — apply committed migrations to $DATABASE_URL.
import { deployMigrations } from '../lib/server/db/migrations';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set. Example: postgresql://postgres@127.0.0.1:5432/ingress_gate');
  process.exit(2);
}
const { applied, alreadyApplied } = await deployMigrations(url, { log: (l) => console.log(l) });
console.log(`${applied.length} migration(s) applied, ${alreadyApplied} already applied.`);
