import type { TSeverity } from '@/lib/domain/risk/severity';
import type { Environment, Prisma } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { TPreparedRevision } from './prepare-revision';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An environment by id or name; 404 with the name when unknown. */
export async function findEnvironment(idOrName: string): Promise<Environment> {
  const env = await db().environment.findFirst({ where: isUuid(idOrName) ? { id: idOrName } : { name: idOrName } });
  if (!env) throw new AppError('NOT_FOUND', `No environment named "${idOrName}".`);
  return env;
}

export function severityColumn(severity: TSeverity | 'none'): 'NONE' | 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' {
  return severity.toUpperCase() as 'NONE' | 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
}

/** The revision columns of a prepared revision (number, author and time are the caller's). */
export function revisionData(prepared: TPreparedRevision) {
  return {
    proposedManifest: (prepared.proposed ?? undefined) as Prisma.InputJsonValue | undefined,
    proposedYaml: prepared.analysis.proposedYaml ?? '',
    contentHash: prepared.contentHash,
    baseManifest: (prepared.base ?? undefined) as Prisma.InputJsonValue | undefined,
    baseYaml: prepared.analysis.baseYaml ?? '',
    baseResourceVersion: prepared.baseResourceVersion,
    analysis: prepared.analysis as unknown as Prisma.InputJsonValue,
  };
}

/** 404 unless the request exists; used before visibility is checked. */
export async function findChangeRequestOr404(id: string) {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such change request.');
  const request = await db().changeRequest.findUnique({ where: { id }, include: { environment: true } });
  if (!request) throw new AppError('NOT_FOUND', 'No such change request.');
  return request;
}
