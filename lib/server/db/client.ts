import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { env } from '../env';
import { assertCleanInput, fieldFromPrismaPath } from '../input/assert-clean-input';

export type TDb = PrismaClient;
export type TTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

// One client per process; Next's dev server reloads modules, so keep it on globalThis.
const globalForDb = globalThis as unknown as { ingressGateDb?: PrismaClient };

/**
 * A Prisma client whose every query — model operations and raw SQL, reads and writes, inside
 * transactions too — first passes the input boundary (assertCleanInput): a string with NUL,
 * another control character or an unpaired surrogate is an AppError INVALID_INPUT (400) naming
 * the field, never a PostgreSQL error and a 500. The type stays PrismaClient: the extension only
 * adds a check, it changes no result.
 */
export function createDb(databaseUrl: string, max = 10): PrismaClient {
  const base = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
  return base.$extends({
    query: {
      async $allOperations({ model, args, query }) {
        assertCleanInput(args, { pathFor: (p) => (model ? fieldFromPrismaPath(p) : 'query parameter') });
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
}

export function db(): PrismaClient {
  globalForDb.ingressGateDb ??= createDb(env().DATABASE_URL);
  return globalForDb.ingressGateDb;
}
