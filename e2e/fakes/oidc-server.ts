import Provider from 'oidc-provider';
import type { Server } from 'node:http';

/**
 * A real OpenID Connect provider (npm `oidc-provider`, the certified implementation) for e2e
 * sign-in. Its built-in "dev interactions" show a login form that accepts any login name and a
 * consent screen; the account's claims are derived from the login name:
 * `alice` → sub "alice", email "alice@sso.example.com".
 */
export async function startOidcServer(opts: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@sso.example.com`, email_verified: true, name: `SSO ${id}` };
        },
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['ingress-gate-e2e-cookie-key'] },
  });
  // Plain http on loopback is fine for a test issuer.
  (provider as unknown as { proxy: boolean }).proxy = true;
  const server: Server = provider.listen(opts.port);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { issuer, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
