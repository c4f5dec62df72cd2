import { createDb } from '@/lib/server/db/client';
import { e2eDatabaseUrl } from './config';

// Specs make their own users and data through the same factories the demo seed uses.
let client: ReturnType<typeof createDb> | undefined;
export function e2eDb() {
  client ??= createDb(e2eDatabaseUrl(), 2);
  return client;
}
export { createEnvironment, createUser, uniqueEmail } from '@/lib/server/seed/factories';
