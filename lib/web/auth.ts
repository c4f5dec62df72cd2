import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { TActor } from '@/lib/domain/authz/permissions';
import { env, isOidcEnabled } from '@/lib/server/env';
import { endSession } from '@/lib/server/auth/end-session';
import { loadSessionActor } from '@/lib/server/auth/load-session-actor';
import { startSession } from '@/lib/server/auth/start-session';
import { clientAddress } from './client-address';
import { signInWithPassword } from '@/lib/server/auth/sign-in-with-password';
import { signInWithOidc } from '@/lib/server/auth/sign-in-with-oidc';

class SignInRefused extends CredentialsSignin {
  constructor(
    code: string,
    readonly retryAfterSeconds?: number,
  ) {
    super();
    this.code = code;
  }
}

function providers(): NextAuthConfig['providers'] {
  const list: NextAuthConfig['providers'] = [
    Credentials({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(credentials, request) {
        const result = await signInWithPassword(credentials, { address: clientAddress(request.headers) });
        // `throttled-<seconds>`: the credentials endpoint puts the code in its redirect
        // (`/sign-in?error=CredentialsSignin&code=throttled-27`), so API clients learn N too.
        if (!result.ok) {
          const code = result.reason === 'throttled' ? `throttled-${result.retryAfterSeconds ?? 1}` : result.reason;
          throw new SignInRefused(code, result.retryAfterSeconds);
        }
        return { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion };
      },
    }),
  ];
  const e = env();
  if (isOidcEnabled(e)) {
    list.push({
      id: 'oidc',
      name: e.OIDC_DISPLAY_NAME,
      type: 'oidc',
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      checks: ['pkce', 'state', 'nonce'],
      authorization: { params: { scope: 'openid email profile' } },
    });
  }
  return list;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  // The JWT cookie only carries the session id; the sessions table decides whether it is still
  // live (idle and absolute limits, sign-out, an admin ending it). The cookie's own lifetime is
  // the absolute limit, so it never outlives its row.
  session: { strategy: 'jwt', maxAge: env().INGRESS_GATE_SESSION_MAX_HOURS * 60 * 60 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  providers: providers(),
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== 'oidc') return true;
      const result = await signInWithOidc({
        issuer: env().OIDC_ISSUER,
        subject: profile?.sub ?? account.providerAccountId,
        email: profile?.email,
        name: profile?.name ?? undefined,
      });
      if (!result.ok) return `/sign-in?error=${encodeURIComponent(result.message)}`;
      // Hand the resolved local user to the jwt callback.
      (account as Record<string, unknown>).ingressGateUserId = result.user.id;
      (account as Record<string, unknown>).ingressGateSessionVersion = result.user.sessionVersion;
      return true;
    },
    async jwt({ token, user, account }) {
      // Only at sign-in: record the session server-side and put its id in the cookie.
      if (account?.provider === 'oidc') {
        token.uid = (account as Record<string, unknown>).ingressGateUserId as string;
        token.sid = await startSession(token.uid as string, 'oidc');
      } else if (user?.id) {
        token.uid = user.id;
        token.sid = await startSession(user.id, 'password');
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, uid: token.uid as string | undefined, sid: token.sid as string | undefined };
    },
  },
  events: {
    // Sign-out ends the session row, so the same cookie replayed afterwards is refused.
    async signOut(message) {
      if ('token' in message && message.token) await endSession(message.token.sid);
    },
  },
}));

/**
 * The signed-in user with roles fresh from the database, or null. Cached per request so a page
 * and its components share one lookup.
 */
export const getActor = cache(async (): Promise<TActor | null> => {
  const session = (await auth()) as { uid?: string; sid?: string } | null;
  if (!session?.uid) return null;
  return loadSessionActor(session.sid, session.uid);
});

/** For pages: the actor, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireActor(returnTo: string): Promise<TActor> {
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}
