// npm run db:migrate -- <name> — creates prisma/migrations/<timestamp>_<name>/migration.sql to
// write by hand (Prisma's `migrate dev` needs a native engine this project does not download;
// ARCHITECTURE.md decision 3). Then: edit schema.prisma to match, `npm run db:deploy`, and the
// schema-matches-database integration test proves the two agree.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const name = (process.argv[2] ?? '')
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');
if (!name) {
  console.error('usage: npm run db:migrate -- <name>   e.g. npm run db:migrate -- add_comment_resolved');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.resolve('prisma/migrations', `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), `-- ${name}\n`);
console.log(`created ${path.relative(process.cwd(), dir)}/migration.sql`);
