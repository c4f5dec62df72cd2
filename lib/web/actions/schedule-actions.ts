'use server';

import { overrideChangeWindow } from '@/lib/server/schedule/override-change-window';
import { updateEnvironmentSchedule } from '@/lib/server/schedule/update-environment-schedule';
import { authedAction } from '../action';

// Thin server actions: authenticate and hand the raw input to the lib/server operation, which
// validates it and checks the actor's permissions.

export async function overrideChangeWindowAction(id: string, reason: string) {
  return authedAction((actor) => overrideChangeWindow(actor, id, { reason: String(reason ?? '') }));
}

export async function updateEnvironmentScheduleAction(environmentId: string, input: unknown) {
  return authedAction((actor) => updateEnvironmentSchedule(actor, environmentId, input));
}
