import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { splitLines } from '@/lib/domain/diff/reanchor-line';
import { db } from '../db/client';
import { emitNotification } from '../notifications/emit-notification';
import { AppError } from '../errors';
import { assertMay, auditActor, auditRequestEvent, findVisibleChangeRequest, parseInput, requireActor } from '../operation';

export const ZComment = z
  .object({
    body: z.string().trim().min(1, 'Write a comment.').max(10_000, 'Keep the comment under 10,000 characters.'),
    revision: z.coerce.number().int().min(1).optional(),
    line: z.coerce.number().int().min(1, 'Lines start at 1.').optional(),
    side: z.enum(['proposed', 'base']).default('proposed'),
    // A reply to the thread started by this comment (its root).
    replyTo: z.string().uuid('replyTo must be a comment id.').optional(),
  })
  .refine((v) => !(v.replyTo && v.line !== undefined), {
    path: ['line'],
    message: 'A reply belongs to its thread; it has no line of its own.',
  });

/**
 * Anyone who can see the request and may comment there comments; optionally on a line of a
 * revision's proposed (or base) YAML, which starts a thread anchored to that revision, side, line
 * and the line's text; or as a reply to a thread. Cases: empty → 400; line beyond that YAML's end
 * → 422; unknown revision → 422; reply to a comment of another request or that does not exist →
 * 422 (a reply to a reply joins the root's thread); not allowed to comment → 403.
 */
export async function commentOnChangeRequest(actorIn: TActor | null, changeRequestId: string, input: unknown, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  const data = parseInput(ZComment, input);
  const request = await findVisibleChangeRequest(actor, changeRequestId);
  assertMay(actor, request, 'comment');
  const { body, line, side, replyTo } = data;
  const parent = replyTo ? await threadRoot(changeRequestId, replyTo) : null;
  const revisionNumber = data.revision ?? parent?.revisionNumber ?? request.currentRevision;
  const revision = await db().revision.findUnique({ where: { changeRequestId_number: { changeRequestId, number: revisionNumber } } });
  if (!revision)
    throw new AppError('UNPROCESSABLE', `Revision ${revisionNumber} does not exist.`, {
      fieldErrors: [{ path: 'revision', message: 'no such revision' }],
    });
  let anchorText: string | null = null;
  if (line !== undefined) {
    const lines = splitLines((side === 'base' ? revision.baseYaml : revision.proposedYaml) ?? '');
    if (line > lines.length)
      throw new AppError('UNPROCESSABLE', `Line ${line} is past the end of the ${side} YAML (${lines.length} lines).`, {
        fieldErrors: [{ path: 'line', message: `must be between 1 and ${lines.length}` }],
      });
    anchorText = lines[line - 1]!;
  }
  return db().$transaction(async (tx) => {
    const comment = await tx.comment.create({
      data: {
        changeRequestId,
        revisionId: revision.id,
        authorId: actor.id,
        body,
        line: line ?? null,
        side: line ? side : null,
        anchorText,
        parentId: parent?.id ?? null,
        createdAt: now,
      },
    });
    await auditRequestEvent(
      tx,
      auditActor(actor),
      request,
      {
        action: 'change-request.commented',
        details: {
          commentId: comment.id,
          revision: revision.number,
          line: line ?? null,
          side: line ? side : null,
          ...(parent ? { threadId: parent.id } : {}),
        },
      },
      now,
    );
    await emitNotification(tx, {
      kind: 'commented',
      actor: auditActor(actor),
      changeRequestId,
      environmentId: request.environmentId,
      revision: revision.number,
      details: { comment: body },
    });
    return { id: comment.id, threadId: parent?.id ?? comment.id };
  });
}

/** The root of the thread `commentId` belongs to, within this request; 422 otherwise. */
async function threadRoot(changeRequestId: string, commentId: string) {
  const c = await db().comment.findUnique({
    where: { id: commentId },
    select: { id: true, changeRequestId: true, parentId: true, revision: { select: { number: true } } },
  });
  if (!c || c.changeRequestId !== changeRequestId)
    throw new AppError('UNPROCESSABLE', 'There is no such comment on this request to reply to.', {
      fieldErrors: [{ path: 'replyTo', message: 'no such comment on this request' }],
    });
  if (!c.parentId) return { id: c.id, revisionNumber: c.revision?.number };
  return threadRoot(changeRequestId, c.parentId);
}
