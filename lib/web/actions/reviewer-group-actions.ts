'use server';

import { revalidatePath } from 'next/cache';
import {
  addReviewerGroupMember,
  createReviewerGroup,
  deleteReviewerGroup,
  removeReviewerGroupMember,
} from '@/lib/server/reviewer-groups/manage-reviewer-groups';
import { authedAction } from '@/lib/web/action';
import type { TFormState } from './admin-actions';

const str = (form: FormData, key: string) => String(form.get(key) ?? '');

export async function createReviewerGroupAction(_prev: TFormState, form: FormData): Promise<TFormState<{ message: string }>> {
  const result = await authedAction(async (actor) => {
    const g = await createReviewerGroup(actor, { name: str(form, 'name'), description: str(form, 'description') });
    return { message: `Created ${g.name}.` };
  });
  if (result.ok) revalidatePath('/admin/groups');
  return result;
}

export async function deleteReviewerGroupAction(_prev: TFormState, form: FormData): Promise<TFormState<{ message: string }>> {
  const result = await authedAction(async (actor) => {
    await deleteReviewerGroup(actor, str(form, 'groupId'));
    return { message: 'Deleted.' };
  });
  if (result.ok) revalidatePath('/admin/groups');
  return result;
}

export async function addReviewerGroupMemberAction(_prev: TFormState, form: FormData): Promise<TFormState<{ message: string }>> {
  const result = await authedAction(async (actor) => {
    await addReviewerGroupMember(actor, { groupId: str(form, 'groupId'), email: str(form, 'email') });
    return { message: 'Added.' };
  });
  if (result.ok) revalidatePath('/admin/groups');
  return result;
}

export async function removeReviewerGroupMemberAction(_prev: TFormState, form: FormData): Promise<TFormState<{ message: string }>> {
  const result = await authedAction(async (actor) => {
    await removeReviewerGroupMember(actor, { groupId: str(form, 'groupId'), userId: str(form, 'userId') });
    return { message: 'Removed.' };
  });
  if (result.ok) revalidatePath('/admin/groups');
  return result;
}
