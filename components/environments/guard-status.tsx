import { describeGuard, type TGuardHealth } from '@/lib/domain/guard/guard-health';
import { formatTime } from '@/components/ui/format';

type TGuardCheck = ({ ok: true } & TGuardHealth) | { ok: false; status: 'unknown'; error: string };

const TONE: Record<string, string> = {
  protected: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  'unprotected-namespaces': 'border-amber-300 bg-amber-50 text-amber-950',
  'guard-missing': 'border-red-300 bg-red-50 text-red-900',
  unknown: 'border-slate-300 bg-slate-50 text-slate-800',
};

/**
 * The environment's admission guard as the worker last read it: protected / unprotected
 * namespaces / guard missing (README: "What a cluster-admin can still do"). All text is rendered
 * as text.
 */
export function GuardStatus({ health, checkedAt }: { health: unknown; checkedAt: Date | null }) {
  const g = health as TGuardCheck | null;
  const status = g?.status ?? 'unknown';
  const text = !g ? 'Guard not checked yet (the worker checks every minute).' : g.ok ? describeGuard(g) : `Guard unknown: ${g.error}`;
  return (
    <p data-testid="guard-status" data-status={status} className={`rounded border px-3 py-1.5 text-sm ${TONE[status] ?? TONE.unknown}`}>
      {text}
      {checkedAt ? <span className="text-xs opacity-75"> · checked {formatTime(checkedAt)}</span> : null}
    </p>
  );
}
