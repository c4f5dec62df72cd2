import { z } from 'zod';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { AppError } from '../errors';
import { findChangeRequestOr404, isUuid } from './shared';
import { zodToAppError } from './submit-change-request';

export const ZResolution = z.object({ resolved: z.boolean({ error: 'resolved must be true or false.' }) });

/**
 * Marks a comment thread resolved or open again. Anyone who may comment on the request may do it
 * (as on GitHub: the conversation is shared). Cases: request not visible → 404; not allowed to
 * comment → 403; no such thread on this request (or a reply's id) → 404; already in that state →
 * nothing changes, no event; otherwise the root is updated and `change-request.thread-resolved` /
 * `thread-reopened` is appended in the same transaction.
 */
export async function resolveCommentThread(
  actor: TActor | null,
  changeRequestId: string,
  threadId: string,
  input: unknown,
  now: Date = new Date(),
) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const parsed = ZResolution.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const request = await findChangeRequestOr404(changeRequestId);
  if (!can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  if (!can(actor, 'change-request.comment', { environmentId: request.environmentId }))
    throw new AppError('FORBIDDEN', 'You cannot comment here, so you cannot resolve threads either.');
  const { resolved } = parsed.data;
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
    await appendAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: resolved ? 'change-request.thread-resolved' : 'change-request.thread-reopened',
        environmentId: request.environmentId,
        namespace: request.namespace,
        ingressName: request.ingressName,
        changeRequestId,
        details: { threadId, line: root.line, side: root.side },
      },
      now,
    );
    return { id: threadId, resolved, changed: true };
  });
}
