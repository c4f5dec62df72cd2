'use client';

import { useActionState } from 'react';
import { verifyLiveLogAction, type TVerifyState } from '@/lib/web/actions/audit-actions';

export function VerifyButton() {
  const [state, action, isPending] = useActionState<TVerifyState>(verifyLiveLogAction, null);
  const tone = !state
    ? ''
    : state.ok && state.data.ok
      ? 'border-green-300 bg-green-50 text-green-900'
      : 'border-red-300 bg-red-50 text-red-900';
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <button
        type="submit"
        disabled={isPending}
        className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
      >
        {isPending ? 'Verifying…' : 'Verify the live log'}
      </button>
      {state && (
        <p role="status" data-testid="verify-result" className={`break-all rounded border px-3 py-1.5 text-sm ${tone}`}>
          {state.ok ? state.data.message : state.message}
        </p>
      )}
    </form>
  );
}
