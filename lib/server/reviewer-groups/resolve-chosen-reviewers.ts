import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { eligibleApproverIds } from '../change-requests/quorum';
import { db, type TTx } from '../db/client';
import { AppError, type TFieldError } from '../errors';

/** A list of names from a form (one comma- or space-separated string) or JSON (an array): trimmed, lower-cased, unique. */
export const nameList = (max: number, what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => [
      ...new Set((typeof v === 'string' ? v.split(/[,\s]+/) : (v ?? [])).map((r) => r.trim().toLowerCase()).filter(Boolean)),
    ])
    .refine((v) => v.length <= max, `Name at most ${max} ${what}.`);

export type TChosenReviewers = { userIds: string[]; groups: { id: string; name: string }[] };

/**
 * Chosen reviewers and groups → the user ids to store as chosen reviewers, and the groups named.
 * Cases (each refusal is a 422 naming the entry; nothing is stored on any refusal):
 * - `reviewers.N`: not a user here; the requester themselves; not an active approver of the environment
 * - `reviewerGroups.N`: no group of that name; no member who is an active approver of the
 *   environment other than the requester (a group never makes the requester a reviewer)
 * - otherwise: the named people plus every eligible member of every named group, once each
 */
export async function resolveChosenReviewers(
  actor: TActor,
  env: { id: string; name: string },
  reviewers: string[],
  groupNames: string[] = [],
): Promise<TChosenReviewers> {
  if (!reviewers.length && !groupNames.length) return { userIds: [], groups: [] };
  const client = db() as unknown as TTx;
  const users = reviewers.length
    ? await db().user.findMany({
        where: { OR: [{ email: { in: reviewers } }, { id: { in: reviewers.filter((r) => /^[0-9a-f-]{36}$/.test(r)) } }] },
        select: { id: true, email: true },
      })
    : [];
  const groups = groupNames.length
    ? await db().reviewerGroup.findMany({ where: { name: { in: groupNames } }, include: { members: { select: { userId: true } } } })
    : [];
  const eligible = await eligibleApproverIds(client, env.id, [
    ...new Set([...users.map((u) => u.id), ...groups.flatMap((g) => g.members.map((m) => m.userId))]),
  ]);
  const fieldErrors: TFieldError[] = [];
  const ids: string[] = [];
  reviewers.forEach((r, i) => {
    const user = users.find((u) => u.email === r || u.id === r);
    if (!user) fieldErrors.push({ path: `reviewers.${i}`, message: `${r} is not a user here.` });
    else if (user.id === actor.id) fieldErrors.push({ path: `reviewers.${i}`, message: 'You cannot review your own request.' });
    else if (!eligible.has(user.id)) fieldErrors.push({ path: `reviewers.${i}`, message: `${r} is not an approver in ${env.name}.` });
    else ids.push(user.id);
  });
  const named: { id: string; name: string }[] = [];
  groupNames.forEach((name, i) => {
    const group = groups.find((g) => g.name === name);
    if (!group) {
      fieldErrors.push({ path: `reviewerGroups.${i}`, message: `There is no reviewer group named ${name}.` });
      return;
    }
    const members = group.members.map((m) => m.userId).filter((id) => id !== actor.id && eligible.has(id));
    if (!members.length) {
      fieldErrors.push({
        path: `reviewerGroups.${i}`,
        message: `Group ${name} has no member who may approve in ${env.name}${group.members.some((m) => m.userId === actor.id) ? ' other than you' : ''}.`,
      });
      return;
    }
    named.push({ id: group.id, name: group.name });
    ids.push(...members);
  });
  if (fieldErrors.length) throw new AppError('UNPROCESSABLE', 'Some chosen reviewers cannot review this request.', { fieldErrors });
  return { userIds: [...new Set(ids)], groups: named };
}
