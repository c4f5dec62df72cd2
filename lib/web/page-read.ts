import { notFound } from 'next/navigation';
import { isAppError } from '@/lib/server/errors';

// Page-level handling of a refused read, in one place: a page calls its lib/server read through
// one of these instead of catching AppError codes itself.

/** The read's result; NOT_FOUND shows the app's 404 page (Next's notFound()); anything else is thrown. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}

/**
 * Like orNotFound, and FORBIDDEN becomes a value: `{ refusal }` with the operation's sentence
 * (admin pages show it with ForbiddenNote instead of an error page).
 */
export async function orRefusal<T>(read: Promise<T>): Promise<{ data: T; refusal: null } | { data: null; refusal: string }> {
  try {
    return { data: await orNotFound(read), refusal: null };
  } catch (error) {
    if (isAppError(error) && error.code === 'FORBIDDEN') return { data: null, refusal: error.message };
    throw error;
  }
}
