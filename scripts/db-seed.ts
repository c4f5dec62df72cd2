// npm run db:seed — demo environments and users, for a demo or development database only.
import { createDb } from '../lib/server/db/client';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../lib/server/seed/seed-demo';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set.');
  process.exit(2);
}
if (process.env.NODE_ENV === 'production' && process.env.INGRESS_GATE_DEMO !== '1') {
  console.error('Refusing to seed demo users into a production database (set INGRESS_GATE_DEMO=1 if this really is a demo).');
  process.exit(2);
}
const db = createDb(url, 2);
const { created } = await seedDemo(db);
await db.$disconnect();
if (!created) {
  console.log('Database already has users; demo seed skipped.');
} else {
  console.log(`Demo data created. Password for every demo user: ${DEMO_PASSWORD}`);
  for (const u of DEMO_USERS) console.log(`  ${u.email.padEnd(24)} ${u.roleText}`);
}
