import { z } from 'zod';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { auditActor, auditRequestEvent, findVisibleChangeRequest, isUuid, parseInput, requireActor } from '../operation';

export const ZResolution = z.object({ resolved: z.boolean({ error: 'resolved must be true or false.' }) });

/**
 * Marks a comment thread resolved or open again. Anyone who may comment on the request may do it
 * (as on GitHub: the conversation is shared). Cases: request not visible → 404; not allowed to
 * comment → 403; no such thread on this request (or a reply's id) → 404; already in that state →
 * nothing changes, no event; otherwise the root is updated and `change-request.thread-resolved` /
 * `thread-reopened` is appended in the same transaction.
 */
export async function resolveCommentThread(
  actorIn: TActor | null,
  changeRequestId: string,
  threadId: string,
  input: unknown,
  now: Date = new Date(),
) {
  const actor = requireActor(actorIn);
  const { resolved } = parseInput(ZResolution, input);
  const request = await findVisibleChangeRequest(actor, changeRequestId);
  if (!can(actor, 'change-request.comment', { environmentId: request.environmentId }))
    throw new AppError('FORBIDDEN', 'You cannot comment here, so you cannot resolve threads either.');
  return db().$transaction(async (tx) => {
    const rows = isUuid(threadId)
      ? await tx.$queryRawUnsafe<{ id: string }[]>(
          'SELECT id FROM comments WHERE id = $1::uuid AND change_request_id = $2::uuid AND parent_id IS NULL FOR UPDATE',
          threadId,
          changeRequestId,
        )
      : [];
    if (!rows.length) throw new AppError('NOT_FOUND', 'No such comment thread on this request.');
    const root = await tx.comment.findUniqueOrThrow({ where: { id: threadId }, select: { resolvedAt: true, line: true, side: true } });
    if ((root.resolvedAt !== null) === resolved) return { id: threadId, resolved, changed: false };
    await tx.comment.update({
      where: { id: threadId },
      data: resolved ? { resolvedAt: now, resolvedById: actor.id } : { resolvedAt: null, resolvedById: null },
    });
    await auditRequestEvent(
      tx,
      auditActor(actor),
      request,
      {
        action: resolved ? 'change-request.thread-resolved' : 'change-request.thread-reopened',
        details: { threadId, line: root.line, side: root.side },
      },
      now,
    );
    return { id: threadId, resolved, changed: true };
  });
}
