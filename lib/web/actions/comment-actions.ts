'use server';

import { resolveCommentThread } from '@/lib/server/change-requests/resolve-comment-thread';
import { authedAction } from '../action';

// Comment threads (issue 18): posting and replying go through commentOnChangeRequestAction; this
// resolves or reopens a thread. Thin: authenticate, hand the raw input to the operation.

export async function resolveCommentThreadAction(id: string, threadId: string, resolved: boolean) {
  return authedAction((actor) => resolveCommentThread(actor, id, threadId, { resolved }));
}
