import { hostname } from 'node:os';
import { db } from '../db/client';

export async function beat(workerId: string, startedAt: Date, now: Date = new Date()): Promise<void> {
  await db().workerHeartbeat.upsert({
    where: { workerId },
    create: { workerId, pid: process.pid, hostname: hostname(), startedAt, beatAt: now },
    update: { beatAt: now },
  });
}

export async function removeHeartbeat(workerId: string): Promise<void> {
  await db()
    .workerHeartbeat.delete({ where: { workerId } })
    .catch(() => {});
}
