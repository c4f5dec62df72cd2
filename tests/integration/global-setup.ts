import type { TestProject } from 'vitest/node';
import { ensureQueueSchema } from '@/lib/server/jobs/queue';
import { prepareTestDatabase } from './test-database';

declare module 'vitest' {
  // Module augmentation needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const database = await prepareTestDatabase('ingress_gate_integration', 54340);
  await ensureQueueSchema(database.url);
  project.provide('databaseUrl', database.url);
  return async () => {
    await database.stop();
  };
}
