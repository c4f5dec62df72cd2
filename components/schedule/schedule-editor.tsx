'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { evaluateChangeWindow, formatInZone, previewChangeWindows, ZChangeWindows } from '@/lib/domain/schedule/change-windows';
import type { TPromotionRules } from '@/lib/domain/promotion/promotion-rules';
import type { TChangeWindows } from '@/lib/domain/schedule/change-windows';
import { updateEnvironmentScheduleAction } from '@/lib/web/actions/schedule-actions';
import { ErrorNote } from '@/components/ui/error-note';
import { btnPrimary } from '@/components/ui/buttons';
import { Field, input } from '@/components/ui/field';

type TInitial = {
  promotionOrder: number | null;
  changeWindows: TChangeWindows;
  promotionRules: TPromotionRules;
  path: { name: string; order: number }[];
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const cells = (line: string) => line.split('|').map((c) => c.trim());
const pairs = (text: string) =>
  lines(text).map((l) => {
    const [from = '', to = ''] = l.split('->').map((c) => c.trim());
    return { from, to };
  });
const pairText = (ps: { from: string; to: string }[]) => ps.map((p) => `${p.from} -> ${p.to}`).join('\n');

function windowsFrom(text: string) {
  return lines(text).map((l) => {
    const [rrule = '', minutes = '', windowLabel = ''] = cells(l);
    return { rrule, durationMinutes: Number(minutes), label: windowLabel };
  });
}

/**
 * The admin editor for an environment's promotion path position, change windows (RRULE | minutes |
 * label per line), freezes (from | to | reason, local time) and promotion rules. The preview of the
 * next openings and freezes is computed in the browser by the same domain code the worker uses.
 */
export function ScheduleEditor({ environmentId, initial }: { environmentId: string; initial: TInitial }) {
  const router = useRouter();
  const [order, setOrder] = useState(initial.promotionOrder?.toString() ?? '');
  const [timeZone, setTimeZone] = useState(initial.changeWindows.timeZone);
  const [windows, setWindows] = useState(
    initial.changeWindows.windows.map((w) => [w.rrule, w.durationMinutes, w.label].join(' | ')).join('\n'),
  );
  const [recurringFreezes, setRecurringFreezes] = useState(
    initial.changeWindows.recurringFreezes.map((w) => [w.rrule, w.durationMinutes, w.label].join(' | ')).join('\n'),
  );
  const [freezes, setFreezes] = useState(initial.changeWindows.freezes.map((f) => [f.from, f.to, f.reason].join(' | ')).join('\n'));
  const r = initial.promotionRules;
  const [hosts, setHosts] = useState(pairText(r.hostSuffixes));
  const [secrets, setSecrets] = useState(pairText(r.tlsSecrets));
  const [classes, setClasses] = useState(pairText(r.ingressClasses));
  const [namespaces, setNamespaces] = useState(pairText(r.namespaces));
  const [priorEnv, setPriorEnv] = useState(r.priorStage?.environment ?? '');
  const [priorMinutes, setPriorMinutes] = useState(r.priorStage?.minutes.toString() ?? '60');
  const [priorMode, setPriorMode] = useState<'refuse' | 'extra-approval'>(r.priorStage?.onMissing ?? 'refuse');
  const [result, setResult] = useState<{ ok: boolean; text: string; errors: { path: string; message: string }[] } | null>(null);
  const [isBusy, start] = useTransition();

  const changeWindows = {
    timeZone,
    windows: windowsFrom(windows),
    recurringFreezes: windowsFrom(recurringFreezes),
    freezes: lines(freezes).map((l) => {
      const [from = '', to = '', reason = ''] = cells(l);
      return { from, to, reason };
    }),
  };
  const parsed = ZChangeWindows.safeParse(changeWindows);
  const preview = useMemo(() => {
    if (!parsed.success) return null;
    const now = new Date();
    return { now: evaluateChangeWindow(parsed.data, now), next: previewChangeWindows(parsed.data, now, 5) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(changeWindows)]);

  function save(e: React.FormEvent) {
    e.preventDefault();
    setResult(null);
    const input = {
      promotionOrder: order.trim() === '' ? null : Number(order),
      changeWindows,
      promotionRules: {
        hostSuffixes: pairs(hosts),
        tlsSecrets: pairs(secrets),
        ingressClasses: pairs(classes),
        namespaces: pairs(namespaces),
        priorStage: priorEnv.trim() ? { environment: priorEnv.trim(), minutes: Number(priorMinutes), onMissing: priorMode } : null,
      },
    };
    start(async () => {
      const res = await updateEnvironmentScheduleAction(environmentId, input);
      if (res.ok) {
        setResult({
          ok: true,
          text: `Saved.${res.data.rescheduled ? ` ${res.data.rescheduled} scheduled request(s) re-decided.` : ''}`,
          errors: [],
        });
        router.refresh();
      } else setResult({ ok: false, text: res.message, errors: res.fieldErrors });
    });
  }

  const area = `${input} min-h-16 font-mono text-xs`;
  return (
    <form onSubmit={save} className="space-y-4" data-testid="schedule-editor" aria-label="Change windows and promotion">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          id="se-order"
          label="Position on the promotion path (blank: not on it)"
          hint={`Path now: ${initial.path.map((p) => `${p.order}. ${p.name}`).join(' → ') || 'none'}`}
        >
          {(c) => <input {...c} className={input} inputMode="numeric" value={order} onChange={(e) => setOrder(e.target.value)} />}
        </Field>
        <Field id="se-tz" label="Time zone (IANA)">
          {(c) => <input {...c} className={input} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
        </Field>
      </div>
      <Field id="se-windows" label="Allowed windows — one per line: RRULE | minutes | label (none: always open)">
        {(c) => (
          <textarea
            {...c}
            className={area}
            value={windows}
            placeholder="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH;BYHOUR=9;BYMINUTE=0 | 480 | office hours"
            onChange={(e) => setWindows(e.target.value)}
          />
        )}
      </Field>
      <Field id="se-rfreezes" label="Recurring freezes — RRULE | minutes | reason">
        {(c) => <textarea {...c} className={area} value={recurringFreezes} onChange={(e) => setRecurringFreezes(e.target.value)} />}
      </Field>
      <Field id="se-freezes" label="Freezes — from | to | reason (local time, YYYY-MM-DDTHH:mm)">
        {(c) => (
          <textarea
            {...c}
            className={area}
            value={freezes}
            placeholder="2026-12-21T00:00 | 2027-01-05T00:00 | year-end freeze"
            onChange={(e) => setFreezes(e.target.value)}
          />
        )}
      </Field>
      <div className="rounded border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="schedule-preview">
        <p className="font-semibold">Preview</p>
        {!parsed.success ? (
          <p className="text-red-800">{parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>
        ) : preview ? (
          <>
            <p>
              {preview.now.isOpen
                ? 'Open now.'
                : `Closed now; next opening ${preview.now.nextOpen ? formatInZone(preview.now.nextOpen, timeZone) : 'not within 400 days'}.`}
            </p>
            {preview.next.windows.length > 0 && (
              <ul className="ml-4 list-disc" data-testid="preview-windows">
                {preview.next.windows.map((w) => (
                  <li key={w.start.toISOString()}>
                    {formatInZone(w.start, timeZone)} – {formatInZone(w.end, timeZone)} {w.label}
                  </li>
                ))}
              </ul>
            )}
            {preview.next.freezes.length > 0 && (
              <ul className="ml-4 list-disc text-red-900">
                {preview.next.freezes.map((f) => (
                  <li key={f.start.toISOString()}>
                    frozen {formatInZone(f.start, timeZone)} – {formatInZone(f.end, timeZone)} {f.label}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : null}
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="text-sm font-semibold">Mapping into this environment (one per line: from -&gt; to)</legend>
        {(
          [
            ['se-hosts', 'Host suffixes', hosts, setHosts, 'staging.example.com -> example.com'],
            ['se-secrets', 'TLS secret names', secrets, setSecrets, 'shop-staging-tls -> shop-tls'],
            ['se-classes', 'Ingress classes', classes, setClasses, 'nginx-internal -> nginx-public'],
            ['se-namespaces', 'Namespaces', namespaces, setNamespaces, 'shop-staging -> shop'],
          ] as const
        ).map(([id, text, value, set, placeholder]) => (
          <Field key={id} id={id} label={text}>
            {(c) => <textarea {...c} className={area} value={value} placeholder={placeholder} onChange={(e) => set(e.target.value)} />}
          </Field>
        ))}
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="text-sm font-semibold">Prior-stage policy</legend>
        <Field id="se-prior-env" label="Earlier environment (blank: none)">
          {(c) => <input {...c} className={input} value={priorEnv} onChange={(e) => setPriorEnv(e.target.value)} />}
        </Field>
        <Field id="se-prior-min" label="Applied there at least (minutes)">
          {(c) => (
            <input {...c} className={input} inputMode="numeric" value={priorMinutes} onChange={(e) => setPriorMinutes(e.target.value)} />
          )}
        </Field>
        <Field id="se-prior-mode" label="Otherwise">
          {(c) => (
            <select
              {...c}
              className={input}
              value={priorMode}
              onChange={(e) => setPriorMode(e.target.value as 'refuse' | 'extra-approval')}
            >
              <option value="refuse">refuse at submit</option>
              <option value="extra-approval">require one extra approval</option>
            </select>
          )}
        </Field>
      </fieldset>
      {result && !result.ok && (
        <ErrorNote testId="schedule-error">
          <p className="font-semibold">{result.text}</p>
          <ul className="ml-4 list-disc">
            {result.errors.map((f, i) => (
              <li key={i}>
                <code>{f.path}</code>: {f.message}
              </li>
            ))}
          </ul>
        </ErrorNote>
      )}
      {result?.ok && (
        <p role="status" className="text-sm text-emerald-800" data-testid="schedule-saved">
          {result.text}
        </p>
      )}
      <button type="submit" className={btnPrimary} disabled={isBusy}>
        {isBusy ? 'Saving…' : 'Save windows and promotion'}
      </button>
    </form>
  );
}
