'use server';

import { AuthError } from 'next-auth';
import { throttledMessage } from '@/lib/domain/auth/sign-in-throttle-policy';
import { isCleanText } from '@/lib/domain/text/disallowed-characters';
import { signIn } from './auth';

export type TSignInState = { error: string | null; email: string };

const MESSAGES: Record<string, string> = {
  'invalid-credentials': 'Wrong email or password.',
  'invalid-input': 'Enter your email address and password.',
  deactivated: 'This account is deactivated. Ask an admin to reactivate it.',
  throttled: 'Sign-in refused.',
};

/**
 * Only same-origin paths may be returned to after sign-in (no open redirect), and only ones that
 * can be a Location header: a control character (a newline from `?callbackUrl=%0A`) made Node
 * throw "Invalid character in header" and the sign-in a 500.
 */
function safeCallback(raw: FormDataEntryValue | null): string {
  const value = typeof raw === 'string' ? raw : '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value) || !isCleanText(value)) return '/';
  return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

export async function signInWithPasswordAction(_prev: TSignInState, form: FormData): Promise<TSignInState> {
  const email = String(form.get('email') ?? '');
  try {
    await signIn('credentials', { email, password: String(form.get('password') ?? ''), redirectTo: safeCallback(form.get('callbackUrl')) });
    return { error: null, email };
  } catch (error) {
    if (error instanceof AuthError) {
      const { code = '', retryAfterSeconds } = error as AuthError & { code?: string; retryAfterSeconds?: number };
      const message = MESSAGES[code.replace(/^throttled-\d+$/, 'throttled')] ?? 'Sign-in failed. Try again.';
      return { error: retryAfterSeconds ? `${message} ${throttledMessage(retryAfterSeconds)}` : message, email };
    }
    throw error; // NEXT_REDIRECT on success
  }
}

export async function signInWithOidcAction(form: FormData): Promise<void> {
  await signIn('oidc', { redirectTo: safeCallback(form.get('callbackUrl')) });
}
