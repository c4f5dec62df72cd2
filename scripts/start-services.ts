import type { ChildProcess } from 'node:child_process';
import type { PrismaClient } from '../lib/generated/prisma/client';

/**
 * Local services `npm start` runs beside the web server. The sandbox cluster and the apply worker
 * plug in here (issues 3 and 4 of the plan); until then nothing extra runs.
 */
export async function startLocalServices(_opts: { db: PrismaClient; dataDir: string; log: (l: string) => void }): Promise<{ children: ChildProcess[]; stop: () => Promise<void> }> {
  return { children: [], stop: async () => {} };
}
