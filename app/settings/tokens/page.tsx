import type { Metadata } from 'next';
import { ApiTokens } from '@/components/settings/api-tokens';
import { can } from '@/lib/domain/authz/permissions';
import { listApiTokens } from '@/lib/server/api-tokens/manage-api-tokens';
import { env } from '@/lib/server/env';
import { requireActor } from '@/lib/web/auth';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function TokensPage() {
  const actor = await requireActor('/settings/tokens');
  const tokens = await listApiTokens(actor);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">API tokens</h1>
      <p className="max-w-2xl text-sm text-slate-600">
        Personal tokens let pipelines call the REST API (<code>/api/v1</code>) as you, with the same checks as the UI, limited to the scopes
        you give them (and never more than your roles). Send <code>Authorization: Bearer &lt;token&gt;</code>. Every token expires (at most{' '}
        {env().INGRESS_GATE_TOKEN_MAX_DAYS} days); tokens cannot create tokens. Revoking a token, or deactivating your account, stops it at
        once.
      </p>
      <ApiTokens
        maxDays={env().INGRESS_GATE_TOKEN_MAX_DAYS}
        isAdmin={can(actor, 'environment.manage', 'any')}
        tokens={tokens.map((t) => ({
          ...t,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt.toISOString(),
          revokedAt: t.revokedAt?.toISOString() ?? null,
        }))}
      />
    </div>
  );
}
