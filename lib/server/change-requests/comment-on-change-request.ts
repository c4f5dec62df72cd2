import { z } from 'zod';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { emitNotification } from '../notifications/emit-notification';
import { AppError } from '../errors';
import { findChangeRequestOr404 } from './shared';
import { zodToAppError } from './submit-change-request';

export const ZComment = z.object({
  body: z.string().trim().min(1, 'Write a comment.').max(10_000, 'Keep the comment under 10,000 characters.'),
  revision: z.coerce.number().int().min(1).optional(),
  line: z.coerce.number().int().min(1, 'Lines start at 1.').optional(),
  side: z.enum(['proposed', 'base']).default('proposed'),
});

/**
 * Anyone who can see the request comments; optionally on a line of a revision's proposed (or base)
 * YAML. Cases: empty → 400; line beyond that YAML's end → 422; unknown revision → 422.
 */
export async function commentOnChangeRequest(actor: TActor | null, changeRequestId: string, input: unknown, now: Date = new Date()) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const parsed = ZComment.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const request = await findChangeRequestOr404(changeRequestId);
  if (!can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  if (!can(actor, 'change-request.comment', { environmentId: request.environmentId }))
    throw new AppError('FORBIDDEN', 'You cannot comment here.');
  const { body, line, side } = parsed.data;
  const revisionNumber = parsed.data.revision ?? request.currentRevision;
  const revision = await db().revision.findUnique({ where: { changeRequestId_number: { changeRequestId, number: revisionNumber } } });
  if (!revision)
    throw new AppError('UNPROCESSABLE', `Revision ${revisionNumber} does not exist.`, {
      fieldErrors: [{ path: 'revision', message: 'no such revision' }],
    });
  if (line !== undefined) {
    const text = side === 'base' ? revision.baseYaml : revision.proposedYaml;
    const lines = text ? text.split('\n').length - (text.endsWith('\n') ? 1 : 0) : 0;
    if (line > lines)
      throw new AppError('UNPROCESSABLE', `Line ${line} is past the end of the ${side} YAML (${lines} lines).`, {
        fieldErrors: [{ path: 'line', message: `must be between 1 and ${lines}` }],
      });
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
        createdAt: now,
      },
    });
    await appendAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'change-request.commented',
        environmentId: request.environmentId,
        namespace: request.namespace,
        ingressName: request.ingressName,
        changeRequestId,
        details: { commentId: comment.id, revision: revision.number, line: line ?? null, side: line ? side : null },
      },
      now,
    );
    await emitNotification(tx, {
      kind: 'commented',
      actor: { id: actor.id, email: actor.email },
      changeRequestId,
      environmentId: request.environmentId,
      revision: revision.number,
      details: { comment: body },
    });
    return { id: comment.id };
  });
}
