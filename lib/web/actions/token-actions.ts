'use server';

import { revalidatePath } from 'next/cache';
import { createApiToken, revokeApiToken } from '@/lib/server/api-tokens/manage-api-tokens';
import { authedAction } from '../action';

export async function createApiTokenAction(input: { name: string; expiresInDays?: number; scopes: string[] }) {
  const result = await authedAction((actor) => createApiToken(actor, input));
  if (result.ok) revalidatePath('/settings/tokens');
  return result;
}

export async function revokeApiTokenAction(tokenId: string) {
  const result = await authedAction((actor) => revokeApiToken(actor, tokenId));
  if (result.ok) revalidatePath('/settings/tokens');
  return result;
}
