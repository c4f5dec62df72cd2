'use server';

import { revalidatePath } from 'next/cache';
import { adoptLiveState } from '@/lib/server/drift/adopt-live-state';
import { restoreApprovedState } from '@/lib/server/drift/restore-approved-state';
import { authedAction } from '@/lib/web/action';

// Thin server actions: authenticate, hand the input to the lib/server operation (which checks
// drift.remediate and the request permission itself), return a value.

export async function restoreApprovedStateAction(driftRecordId: string, reason?: string) {
  const result = await authedAction((actor) =>
    restoreApprovedState(actor, String(driftRecordId), { reason: typeof reason === 'string' ? reason : undefined }),
  );
  if (result.ok) revalidatePath('/drift');
  return result;
}

export async function adoptLiveStateAction(driftRecordId: string, justification?: string) {
  const result = await authedAction((actor) =>
    adoptLiveState(actor, String(driftRecordId), { justification: typeof justification === 'string' ? justification : undefined }),
  );
  if (result.ok) revalidatePath('/drift');
  return result;
}
