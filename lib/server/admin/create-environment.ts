import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { recordAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';
import { TX_OPTIONS, zodToAppError } from '../operation';
import { ENVIRONMENT_NAME, environmentSnapshot, ZEnvironmentSettings } from './admin-shared';
import { environmentColumns, newEnvironmentId } from './save-environment';

const ZCreate = ZEnvironmentSettings.extend({ name: ENVIRONMENT_NAME });

/** Creates an environment (global admins only). Name taken → 409; bad settings → 400/422; audited. */
export async function createEnvironment(
  actor: TActor | null,
  input: unknown,
  now: Date = new Date(),
): Promise<{ id: string; name: string }> {
  assertCan(actor, 'environment.manage', 'global', 'Only admins of every environment can create environments.');
  const parsed = ZCreate.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const { name, ...settings } = parsed.data;
  const id = newEnvironmentId();
  return db()
    .$transaction(async (tx) => {
      if (await tx.environment.findUnique({ where: { name }, select: { id: true } })) {
        throw new AppError('CONFLICT', `An environment named "${name}" already exists.`, {
          fieldErrors: [{ path: 'name', message: 'This name is taken.' }],
        });
      }
      const columns = await environmentColumns(tx, id, settings, null, actor);
      const created = await tx.environment.create({
        data: { ...columns, id, name } as Parameters<typeof tx.environment.create>[0]['data'],
      });
      await recordAuditEvent(
        tx,
        {
          actor: { id: actor.id, email: actor.email },
          action: 'environment.created',
          environmentId: id,
          details: { name, after: environmentSnapshot(created) },
        },
        now,
      );
      return { id, name };
    }, TX_OPTIONS)
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === 'P2002')
        throw new AppError('CONFLICT', `An environment named "${name}" already exists.`, {
          fieldErrors: [{ path: 'name', message: 'This name is taken.' }],
        });
      throw error;
    });
}

export type TCreateEnvironmentInput = z.input<typeof ZCreate>;
