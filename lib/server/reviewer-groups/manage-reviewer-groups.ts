import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { zodToAppError } from '../operation';
import { db } from '../db/client';
import { AppError } from '../errors';

/** A group's name: a lower-case slug (the database checks the same pattern). */
export const ZGroupName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'Use 1–63 letters, digits, dots, dashes or underscores, starting with a letter or digit.');

const ZCreateGroup = z.object({
  name: ZGroupName,
  description: z.string().trim().max(500, 'Keep the description under 500 characters.').default(''),
});
const ZMember = z.object({
  groupId: z.uuid('No such group.'),
  email: z.string().trim().toLowerCase().min(1, 'Enter the member’s email.').max(320),
});

export type TReviewerGroupView = {
  id: string;
  name: string;
  description: string;
  members: { id: string; name: string; email: string; isActive: boolean }[];
};

const actorRef = (actor: TActor) => ({ id: actor.id, email: actor.email });

/** Every group with its members (global admins: groups are not per environment). */
export async function listReviewerGroups(actor: TActor | null): Promise<TReviewerGroupView[]> {
  assertCan(actor, 'user.manage', 'global');
  const groups = await db().reviewerGroup.findMany({
    orderBy: { name: 'asc' },
    include: { members: { include: { user: { select: { id: true, name: true, email: true, isActive: true } } } } },
  });
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    members: g.members.map((m) => m.user).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/** Creates a group (global admins). Bad name → 400 naming `name`; taken → 409. Audited. */
export async function createReviewerGroup(
  actor: TActor | null,
  input: unknown,
  now: Date = new Date(),
): Promise<{ id: string; name: string }> {
  assertCan(actor, 'user.manage', 'global', 'Only admins of every environment can manage reviewer groups.');
  const parsed = ZCreateGroup.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const { name, description } = parsed.data;
  return db().$transaction(async (tx) => {
    if (await tx.reviewerGroup.findUnique({ where: { name }, select: { id: true } }))
      throw new AppError('CONFLICT', `A group named ${name} already exists.`, {
        fieldErrors: [{ path: 'name', message: 'already taken' }],
      });
    const group = await tx.reviewerGroup.create({ data: { name, description, createdAt: now, updatedAt: now } });
    await appendAuditEvent(
      tx,
      { actor: actorRef(actor), action: 'reviewer-group.created', details: { groupId: group.id, name, description } },
      now,
    );
    return { id: group.id, name };
  });
}

/** Deletes a group (global admins); requests that named it keep their chosen reviewers. Audited with its members. */
export async function deleteReviewerGroup(actor: TActor | null, groupId: string, now: Date = new Date()): Promise<void> {
  assertCan(actor, 'user.manage', 'global', 'Only admins of every environment can manage reviewer groups.');
  if (!z.uuid().safeParse(groupId).success) throw new AppError('NOT_FOUND', 'No such group.');
  await db().$transaction(async (tx) => {
    const group = await tx.reviewerGroup.findUnique({ where: { id: groupId }, include: { members: { include: { user: true } } } });
    if (!group) throw new AppError('NOT_FOUND', 'No such group.');
    await tx.reviewerGroup.delete({ where: { id: groupId } });
    await appendAuditEvent(
      tx,
      {
        actor: actorRef(actor),
        action: 'reviewer-group.deleted',
        details: { groupId, name: group.name, members: group.members.map((m) => m.user.email) },
      },
      now,
    );
  });
}

/** Adds a user (by email) to a group (global admins). Unknown user → 422 naming `email`; already a member → 409. Audited. */
export async function addReviewerGroupMember(actor: TActor | null, input: unknown, now: Date = new Date()): Promise<void> {
  assertCan(actor, 'user.manage', 'global', 'Only admins of every environment can manage reviewer groups.');
  const parsed = ZMember.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const { groupId, email } = parsed.data;
  await db().$transaction(async (tx) => {
    const group = await tx.reviewerGroup.findUnique({ where: { id: groupId }, select: { id: true, name: true } });
    if (!group) throw new AppError('NOT_FOUND', 'No such group.');
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, email: true } });
    if (!user)
      throw new AppError('UNPROCESSABLE', `${email} is not a user here.`, {
        fieldErrors: [{ path: 'email', message: `${email} is not a user here.` }],
      });
    if (await tx.reviewerGroupMember.findUnique({ where: { groupId_userId: { groupId, userId: user.id } } }))
      throw new AppError('CONFLICT', `${email} is already in ${group.name}.`, {
        fieldErrors: [{ path: 'email', message: 'already a member' }],
      });
    await tx.reviewerGroupMember.create({ data: { groupId, userId: user.id, createdAt: now } });
    await appendAuditEvent(
      tx,
      { actor: actorRef(actor), action: 'reviewer-group.member-added', details: { groupId, name: group.name, userId: user.id, email } },
      now,
    );
  });
}

/** Removes a member (global admins). Not a member → 404. Audited. */
export async function removeReviewerGroupMember(
  actor: TActor | null,
  input: { groupId: string; userId: string },
  now: Date = new Date(),
): Promise<void> {
  assertCan(actor, 'user.manage', 'global', 'Only admins of every environment can manage reviewer groups.');
  if (!z.uuid().safeParse(input.groupId).success || !z.uuid().safeParse(input.userId).success)
    throw new AppError('NOT_FOUND', 'No such member.');
  await db().$transaction(async (tx) => {
    const member = await tx.reviewerGroupMember.findUnique({
      where: { groupId_userId: { groupId: input.groupId, userId: input.userId } },
      include: { group: { select: { name: true } }, user: { select: { email: true } } },
    });
    if (!member) throw new AppError('NOT_FOUND', 'No such member.');
    await tx.reviewerGroupMember.delete({ where: { id: member.id } });
    await appendAuditEvent(
      tx,
      {
        actor: actorRef(actor),
        action: 'reviewer-group.member-removed',
        details: { groupId: input.groupId, name: member.group.name, userId: input.userId, email: member.user.email },
      },
      now,
    );
  });
}
