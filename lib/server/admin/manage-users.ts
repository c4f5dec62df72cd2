import { z } from 'zod';
import { checkPasswordStrength } from '@/lib/domain/auth/password-strength';
import { ROLES, type TActor } from '@/lib/domain/authz/permissions';
import { isUuid, UUID_PATTERN } from '@/lib/domain/text/uuid';
import { recordAuditEvent } from '../audit/append-audit-event';
import { hashPassword } from '../auth/passwords';
import { assertCan } from '../authz/assert-can';
import { db, type TTx } from '../db/client';
import { AppError } from '../errors';
import { zodToAppError } from '../operation';
import { ADMIN_SET_LOCK, otherActiveGlobalAdmins } from './admin-shared';

const emptyToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

const ZRoleGrant = z.object({
  role: z.enum(ROLES, { error: 'Choose a role.' }),
  environmentId: z.preprocess(emptyToNull, z.string().regex(UUID_PATTERN, 'Choose an environment or "all environments".').nullable()),
});

export const ZCreateUser = z
  .object({
    email: z.string().trim().toLowerCase().email('Enter an email address.').max(320),
    name: z.string().trim().min(1, 'Enter a name.').max(200),
    password: z.string({ error: 'Enter an initial password.' }),
    roles: z.array(ZRoleGrant).max(20).default([]),
  })
  // Strength, not length alone (lib/domain/auth/password-strength.ts), judged against the
  // user's own email and name too.
  .superRefine((value, ctx) => {
    const check = checkPasswordStrength(value.password, [value.email, value.name]);
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['password'], message: check.message });
  });

const actorRef = (actor: TActor) => ({ id: actor.id, email: actor.email });

async function lockAdminSet(tx: TTx) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ADMIN_SET_LOCK})`);
}

async function assertEnvironmentExists(tx: TTx, environmentId: string | null) {
  if (environmentId && !(await tx.environment.findUnique({ where: { id: environmentId }, select: { id: true } }))) {
    throw new AppError('INVALID_INPUT', 'No such environment.', {
      fieldErrors: [{ path: 'environmentId', message: 'No such environment.' }],
    });
  }
}

/**
 * Creates a local user with an initial password the admin hands over (there is no mail), and the
 * given roles. Email taken → 409. Audited without the password.
 */
export async function createLocalUser(actor: TActor | null, input: unknown, now: Date = new Date()) {
  assertCan(actor, 'user.manage', 'global');
  const parsed = ZCreateUser.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const { email, name, password, roles } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new AppError('CONFLICT', `${email} already has an account.`, {
        fieldErrors: [{ path: 'email', message: 'This email already has an account.' }],
      });
    }
    for (const r of roles) await assertEnvironmentExists(tx, r.environmentId);
    const user = await tx.user.create({
      data: {
        email,
        name,
        passwordHash,
        createdAt: now,
        roles: { create: roles.map((r) => ({ role: r.role, environmentId: r.environmentId, grantedById: actor.id })) },
      },
    });
    await recordAuditEvent(tx, { actor: actorRef(actor), action: 'user.created', details: { userId: user.id, email, name, roles } }, now);
    return { id: user.id, email };
  });
}

/** Grants a role, globally or in one environment. Already held → 409. Audited. */
export async function grantRole(actor: TActor | null, userId: string, input: unknown, now: Date = new Date()) {
  assertCan(actor, 'user.manage', 'global');
  const parsed = ZRoleGrant.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const { role, environmentId } = parsed.data;
  if (!isUuid(userId)) throw new AppError('NOT_FOUND', 'No such user.');
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    await assertEnvironmentExists(tx, environmentId);
    const existing = await tx.roleAssignment.findFirst({ where: { userId, role, environmentId } });
    if (existing) throw new AppError('CONFLICT', `${user.email} already holds ${role.toLowerCase()} there.`);
    const row = await tx.roleAssignment.create({ data: { userId, role, environmentId, grantedById: actor.id, createdAt: now } });
    await recordAuditEvent(
      tx,
      {
        actor: actorRef(actor),
        action: 'user.role-granted',
        environmentId,
        details: { userId, email: user.email, role, scope: environmentId ? 'environment' : 'global' },
      },
      now,
    );
    return { id: row.id };
  });
}

/**
 * Revokes one role assignment. The last active global admin's ADMIN role cannot be revoked (409):
 * the check and the delete run under one advisory lock, so two admins demoting each other
 * concurrently cannot leave none. Audited.
 */
export async function revokeRole(actor: TActor | null, assignmentId: string, now: Date = new Date()) {
  assertCan(actor, 'user.manage', 'global');
  if (!isUuid(assignmentId)) throw new AppError('NOT_FOUND', 'No such role assignment.');
  return db().$transaction(async (tx) => {
    await lockAdminSet(tx);
    const row = await tx.roleAssignment.findUnique({
      where: { id: assignmentId },
      include: { user: { select: { id: true, email: true, isActive: true } } },
    });
    if (!row) throw new AppError('NOT_FOUND', 'No such role assignment.');
    if (row.role === 'ADMIN' && row.environmentId === null && row.user.isActive && (await otherActiveGlobalAdmins(tx, row.userId)) === 0) {
      throw new AppError('CONFLICT', `${row.user.email} is the last admin; make someone else an admin first.`);
    }
    await tx.roleAssignment.delete({ where: { id: assignmentId } });
    await recordAuditEvent(
      tx,
      {
        actor: actorRef(actor),
        action: 'user.role-revoked',
        environmentId: row.environmentId,
        details: { userId: row.userId, email: row.user.email, role: row.role, scope: row.environmentId ? 'environment' : 'global' },
      },
      now,
    );
    return { id: assignmentId };
  });
}

/**
 * Deactivates or reactivates a user. Deactivation takes effect at once: their sessions are ended
 * and the session version is bumped (every session cookie stops working, also after a later
 * reactivation) and their API
 * tokens are revoked; their past actions stay in the audit log (rows are kept, never deleted).
 * Refused (409) for the last active global admin and for oneself. Audited.
 */
export async function setUserActive(actor: TActor | null, userId: string, isActive: boolean, now: Date = new Date()) {
  assertCan(actor, 'user.manage', 'global');
  if (!isUuid(userId)) throw new AppError('NOT_FOUND', 'No such user.');
  if (!isActive && userId === actor.id) throw new AppError('CONFLICT', 'You cannot deactivate yourself; ask another admin.');
  return db().$transaction(async (tx) => {
    await lockAdminSet(tx);
    const user = await tx.user.findUnique({ where: { id: userId }, include: { roles: { where: { role: 'ADMIN', environmentId: null } } } });
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    if (user.isActive === isActive) return { isActive, revokedTokens: 0 };
    if (!isActive && user.roles.length && (await otherActiveGlobalAdmins(tx, userId)) === 0) {
      throw new AppError('CONFLICT', `${user.email} is the last admin; make someone else an admin first.`);
    }
    await tx.user.update({ where: { id: userId }, data: isActive ? { isActive } : { isActive, sessionVersion: { increment: 1 } } });
    const revoked = isActive
      ? { count: 0 }
      : await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    if (!isActive) {
      await tx.session.updateMany({ where: { userId, endedAt: null }, data: { endedAt: now, endReason: 'deactivated' } });
    }
    await recordAuditEvent(
      tx,
      {
        actor: actorRef(actor),
        action: isActive ? 'user.reactivated' : 'user.deactivated',
        details: { userId, email: user.email, ...(isActive ? {} : { revokedTokens: revoked.count }) },
      },
      now,
    );
    return { isActive, revokedTokens: revoked.count };
  });
}
