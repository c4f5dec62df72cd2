import { describeGuard } from '@/lib/domain/guard/guard-health';
import type { Prisma } from '@/lib/generated/prisma/client';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import type { KubeClient } from '../kube/kube-client';
import { emitNotification } from '../notifications/emit-notification';
import { checkGuardHealth, type TGuardCheck } from './check-guard-health';

const WORKER = { system: 'worker' } as const;

/** "protected" and "unknown" (cluster unreachable: drift and apply already say so) raise nothing. */
const isUnhealthy = (status: string | undefined) => status === 'guard-missing' || status === 'unprotected-namespaces';

/**
 * The worker's guard pass (issue 12): checks every enabled environment's guard, stores the
 * reading on the environment, and raises a change like drift — audited once
 * (`guard.unhealthy` when it becomes missing/unprotected or its problems change, `guard.restored`
 * when it is protected again) with a `guard-unhealthy` / `guard-restored` notification to the
 * environment's admins and channels, in the same transaction. An unknown reading (cluster
 * unreachable) is stored but changes nothing else. Returns the readings by environment name.
 */
export async function recordGuardHealth(
  opts: { now?: Date; clientFor?: (envId: string) => KubeClient | undefined } = {},
): Promise<Record<string, TGuardCheck>> {
  const now = opts.now ?? new Date();
  const envs = await db().environment.findMany({ where: { disabledAt: null } });
  const out: Record<string, TGuardCheck> = {};
  for (const env of envs) {
    const check = await checkGuardHealth(env, opts.clientFor?.(env.id));
    out[env.name] = check;
    const summary = check.ok ? describeGuard(check) : `Guard unknown: ${check.error}`;
    await db().$transaction(async (tx) => {
      // Several workers run this pass: the environment row's lock makes the change raised once.
      await tx.$queryRaw`SELECT 1 FROM environments WHERE id = ${env.id}::uuid FOR UPDATE`;
      const fresh = await tx.environment.findUniqueOrThrow({ where: { id: env.id }, select: { guardHealth: true } });
      const before = fresh.guardHealth as TGuardCheck | null;
      const beforeSummary = before?.ok ? describeGuard(before) : null;
      await tx.environment.update({
        where: { id: env.id },
        data: { guardHealth: check as unknown as Prisma.InputJsonValue, guardCheckedAt: now },
      });
      if (!check.ok) return;
      const raised = isUnhealthy(check.status) && summary !== beforeSummary;
      const restored = check.status === 'protected' && isUnhealthy(before?.status);
      if (!raised && !restored) return;
      await appendAuditEvent(
        tx,
        {
          actor: WORKER,
          action: raised ? 'guard.unhealthy' : 'guard.restored',
          environmentId: env.id,
          reason: summary,
          details: {
            before: before?.status ?? null,
            after: check.status,
            problems: check.problems,
            unprotected: check.unprotectedNamespaces,
          },
        },
        now,
      );
      await emitNotification(tx, {
        kind: raised ? 'guard-unhealthy' : 'guard-restored',
        actor: WORKER,
        environmentId: env.id,
        details: { namespace: check.unprotectedNamespaces.join(', ') || '(cluster)', ingressName: 'admission guard', reason: summary },
      });
    });
  }
  return out;
}
