'use server';

import { retryChangeRequest } from '@/lib/server/apply/retry-change-request';
import { authedAction } from '../action';

/** Retry the apply of a change that waits for, or failed only because of, an unreachable cluster. */
export async function retryChangeRequestAction(id: string) {
  return authedAction((actor) => retryChangeRequest(actor, String(id)));
}
