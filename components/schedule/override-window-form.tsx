'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { overrideChangeWindowAction } from '@/lib/web/actions/schedule-actions';
import { ErrorNote } from '@/components/ui/error-note';
import { btnDanger } from '@/components/ui/buttons';
import { Field, input } from '@/components/ui/field';

/** Admins only: apply this one request outside the change window / during a freeze, with a reason (audited). */
export function OverrideWindowForm({ id }: { id: string }) {
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, start] = useTransition();
  return (
    <form
      className="mt-2 space-y-2"
      data-testid="override-window"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        start(async () => {
          const r = await overrideChangeWindowAction(id, reason);
          if (r.ok) router.refresh();
          else setError([r.message, ...r.fieldErrors.map((f) => f.message)].join(' '));
        });
      }}
    >
      <Field id="override-reason" label="Override the change window for this request (reason, audited)">
        {(c) => <textarea {...c} className={`${input} min-h-16`} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {error && <ErrorNote testId="override-error">{error}</ErrorNote>}
      <button type="submit" className={btnDanger} disabled={isBusy}>
        {isBusy ? 'Overriding…' : 'Apply outside the window'}
      </button>
    </form>
  );
}
