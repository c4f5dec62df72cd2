import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in-form';
import { throttledMessage } from '@/lib/domain/auth/sign-in-throttle-policy';
import { demoAccountsForSignIn } from '@/lib/server/auth/demo-accounts';
import { isOidcEnabled, env } from '@/lib/server/env';
import { getActor } from '@/lib/web/auth';
import { signInWithOidcAction } from '@/lib/web/sign-in-action';

export const metadata: Metadata = { title: 'Sign in' };

const AUTH_ERRORS: Record<string, string> = {
  OAuthSignin: 'Could not reach the identity provider.',
  OAuthCallbackError: 'The identity provider returned an error.',
  AccessDenied: 'Access denied.',
  Configuration: 'Sign-in is misconfigured on the server. Ask an admin.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl =
    params.callbackUrl && params.callbackUrl.startsWith('/') && !params.callbackUrl.startsWith('//') ? params.callbackUrl : '/';
  if (await getActor()) redirect(callbackUrl);
  // The credentials endpoint (/api/auth/callback/credentials) redirects here with its code.
  const throttled = params.error === 'CredentialsSignin' ? /^throttled-(\d{1,5})$/.exec(params.code ?? '') : null;
  const error = throttled ? throttledMessage(Number(throttled[1])) : params.error ? (AUTH_ERRORS[params.error] ?? params.error) : null;
  const hasOidc = isOidcEnabled();
  const demo = await demoAccountsForSignIn();
  return (
    <div className="mx-auto mt-6 max-w-sm rounded-lg sm:mt-10 border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-xl font-semibold">Sign in to Ingress Gate</h1>
      <p className="mb-5 text-sm text-slate-600">Every Ingress change is reviewed, applied just in time, and audited.</p>
      {error && (
        <p role="alert" className="mb-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <SignInForm callbackUrl={callbackUrl} />
      {hasOidc && (
        <form action={signInWithOidcAction} className="mt-4 border-t border-slate-200 pt-4">
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="w-full rounded border border-slate-300 px-3 py-2 font-medium hover:bg-slate-100">
            Sign in with {env().OIDC_DISPLAY_NAME}
          </button>
        </form>
      )}
      {demo && (
        <section aria-labelledby="demo-title" data-testid="demo-accounts" className="mt-5 border-t border-slate-200 pt-4 text-sm">
          <h2 id="demo-title" className="font-semibold">
            Demo accounts
          </h2>
          <p className="text-slate-600">
            This is a demo installation. Every account&apos;s password is <code className="rounded bg-slate-100 px-1">{demo.password}</code>
            .
          </p>
          <ul className="mt-2 space-y-1">
            {demo.accounts.map((a) => (
              <li key={a.email} data-testid="demo-account">
                <code className="break-all">{a.email}</code> <span className="text-slate-600">— {a.roleText}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
