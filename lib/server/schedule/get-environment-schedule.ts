import type { TActor } from '@/lib/domain/authz/permissions';
import { assertCan } from '../authz/assert-can';
import { isUuid } from '../operation';
import { db } from '../db/client';
import { AppError } from '../errors';
import { promotionRulesOf } from '../promotion/check-prior-stage';
import { changeWindowsOf } from './schedule-apply';

/** What the admin schedule editor shows for one environment (admins of it only), and the other environments' names for the prior-stage choice. */
export async function getEnvironmentSchedule(actor: TActor | null, environmentId: string) {
  if (!isUuid(environmentId)) throw new AppError('NOT_FOUND', 'No such environment.');
  assertCan(actor, 'environment.manage', { environmentId });
  const env = await db().environment.findUnique({ where: { id: environmentId } });
  if (!env) throw new AppError('NOT_FOUND', 'No such environment.');
  const path = await db().environment.findMany({
    where: { promotionOrder: { not: null } },
    orderBy: { promotionOrder: 'asc' },
    select: { name: true, promotionOrder: true },
  });
  return {
    promotionOrder: env.promotionOrder,
    changeWindows: changeWindowsOf(env),
    promotionRules: promotionRulesOf(env),
    path: path.map((p) => ({ name: p.name, order: p.promotionOrder! })),
  };
}
