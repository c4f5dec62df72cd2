import { inject } from 'vitest';
import { db } from '@/lib/server/db/client';
import { resetDatabase } from './test-database';

export const testDatabaseUrl = () => inject('databaseUrl');

/** Call in beforeEach: every test starts from empty tables. */
export async function resetDb(): Promise<void> {
  await resetDatabase(testDatabaseUrl());
}

export { db };
