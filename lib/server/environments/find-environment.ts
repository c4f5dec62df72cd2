import type { Environment } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { AppError } from '../errors';
import { isUuid } from '../operation';

/** An environment by id or name; 404 with the name when unknown. */
export async function findEnvironment(idOrName: string): Promise<Environment> {
  const env = await db().environment.findFirst({ where: isUuid(idOrName) ? { id: idOrName } : { name: idOrName } });
  if (!env) throw new AppError('NOT_FOUND', `No environment named "${idOrName}".`);
  return env;
}
