'use client';

import { useState, useTransition } from 'react';
import { createApiTokenAction, revokeApiTokenAction } from '@/lib/web/actions/token-actions';
import { Field, input } from '@/components/ui/field';

export type TTokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
};

const SCOPES = [
  { value: 'read', label: 'read', hint: 'view requests, environments, history, audit' },
  { value: 'submit', label: 'submit', hint: 'propose, revise, cancel, comment, roll back' },
  { value: 'review', label: 'review', hint: 'approve or reject' },
  { value: 'admin', label: 'admin', hint: 'manage environments and users' },
] as const;

export function ApiTokens({ tokens, maxDays, isAdmin }: { tokens: TTokenRow[]; maxDays: number; isAdmin: boolean }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(Math.min(90, maxDays)));
  const [scopes, setScopes] = useState<string[]>(['read', 'submit']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  return (
    <div className="space-y-6">
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          startTransition(async () => {
            const result = await createApiTokenAction({ name, expiresInDays: days ? Number(days) : undefined, scopes });
            if (!result.ok) return setError(result.fieldErrors[0]?.message ?? result.message);
            setSecret(result.data.secret);
            setName('');
          });
        }}
      >
        <Field id="token-name" label="Token name">
          {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} placeholder="ci-pipeline" className={input} />}
        </Field>
        <Field id="token-days" label="Expires in (days)" className="w-28">
          {(c) => (
            <input {...c} type="number" min={1} max={maxDays} value={days} onChange={(e) => setDays(e.target.value)} className={input} />
          )}
        </Field>
        <fieldset className="w-full">
          <legend className="text-sm font-medium">Scopes (what the token may do, within your roles)</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {SCOPES.filter((s) => s.value !== 'admin' || isAdmin).map((s) => (
              <label key={s.value} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={s.value}
                  checked={scopes.includes(s.value)}
                  onChange={(e) => setScopes((prev) => (e.target.checked ? [...prev, s.value] : prev.filter((v) => v !== s.value)))}
                />
                <span className="font-medium">{s.label}</span>
                <span className="text-slate-600">— {s.hint}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <button
          type="submit"
          disabled={isPending}
          className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {isPending ? 'Creating…' : 'Create token'}
        </button>
        {error && (
          <p role="alert" className="w-full text-sm text-red-700">
            {error}
          </p>
        )}
      </form>
      {secret && (
        <div role="status" className="rounded border border-green-300 bg-green-50 p-4 text-sm">
          <p className="font-medium">Copy this token now; it is not shown again.</p>
          <code data-testid="new-token" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono">
            {secret}
          </code>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600">No tokens yet.</p>
      ) : (
        <table className="w-full border-collapse overflow-hidden rounded-lg bg-white text-sm">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Prefix</th>
              <th className="px-3 py-2">Scopes</th>
              <th className="px-3 py-2">Created</th>
              <th className="px-3 py-2">Last used</th>
              <th className="px-3 py-2">Expires</th>
              <th className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} className="border-t border-slate-200">
                <td className="px-3 py-2">{t.name}</td>
                <td className="px-3 py-2 font-mono">{t.prefix}…</td>
                <td className="px-3 py-2" data-testid="token-scopes">
                  {t.scopes.map((s) => s.toLowerCase()).join(', ')}
                </td>
                <td className="px-3 py-2">{new Date(t.createdAt).toLocaleString()}</td>
                <td className="px-3 py-2">{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
                <td className="px-3 py-2">{new Date(t.expiresAt).toLocaleDateString()}</td>
                <td className="px-3 py-2 text-right">
                  {t.revokedAt ? (
                    <span className="text-slate-500">revoked</span>
                  ) : (
                    <button
                      type="button"
                      className="rounded border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50"
                      onClick={() =>
                        startTransition(async () => {
                          const result = await revokeApiTokenAction(t.id);
                          if (!result.ok) setError(result.message);
                        })
                      }
                    >
                      Revoke<span className="sr-only"> {t.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
