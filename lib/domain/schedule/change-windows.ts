import { DateTime, IANAZone } from 'luxon';
import * as rruleModule from 'rrule';
import { z } from 'zod';

// rrule ships an ES module (used by bundlers: Next.js, Vitest) and a UMD main file, which Node's
// own ESM loader (the worker under tsx) sees only as a default export. Take whichever is there.
const rrule: typeof rruleModule =
  'RRule' in rruleModule && rruleModule.RRule ? rruleModule : (rruleModule as unknown as { default: typeof rruleModule }).default;
const { RRule, rrulestr } = rrule;
type RRule = rruleModule.RRule;

/**
 * Change windows of one environment: when approved changes may be applied. Recurrences are RFC 5545
 * RRULEs evaluated by the `rrule` library in *floating* (wall-clock) time and placed in the zone by
 * luxon, so "09:00 Europe/Berlin" stays 09:00 across a DST change; nothing here does date math by hand.
 *
 * - no windows → always open (except freezes)
 * - windows → open only inside one of them
 * - freezes (one-off periods in local time, or recurring ones) → closed, even inside a window
 */

const FREQS_ALLOWED = new Set([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);
// Far enough that a yearly window is found; bounded so a rule that never matches cannot loop forever.
const HORIZON_DAYS = 400;
// Recurrences count from here (floating), so INTERVAL>1 is stable and independent of `now`.
const RECURRENCE_EPOCH = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

function rruleProblem(text: string): string | null {
  try {
    const rule = rrulestr(text.startsWith('RRULE:') ? text : `RRULE:${text}`, { dtstart: RECURRENCE_EPOCH });
    if (!(rule instanceof RRule)) return 'Give one RRULE (no RDATE/EXDATE sets).';
    if (!FREQS_ALLOWED.has(rule.options.freq)) return 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.';
    if (rule.options.count || rule.options.until) return 'COUNT and UNTIL are not supported here; use a freeze to end a window.';
    return null;
  } catch (error) {
    return `Not a valid RRULE: ${(error as Error).message}`;
  }
}

const ZRecurrence = z
  .string()
  .trim()
  .min(1, 'Give an RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,TU,WE,TH;BYHOUR=9;BYMINUTE=0.')
  .max(500)
  .superRefine((text, ctx) => {
    const problem = rruleProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const ZDuration = z
  .number({ message: 'Give the duration in minutes.' })
  .int('Minutes are whole numbers.')
  .min(1, 'A window lasts at least 1 minute.')
  .max(7 * 24 * 60, 'A window lasts at most 7 days; use several.');

export const ZRecurringWindow = z.object({ rrule: ZRecurrence, durationMinutes: ZDuration, label: z.string().trim().max(100).default('') });

const ZLocalDateTime = z.string().trim().regex(LOCAL_DATETIME, 'Use local time as YYYY-MM-DDTHH:mm.');

export const ZFreeze = z
  .object({
    from: ZLocalDateTime,
    to: ZLocalDateTime,
    reason: z.string().trim().min(1, 'Say why changes are frozen.').max(200),
  })
  .refine((f) => f.from < f.to, { path: ['to'], message: 'A freeze ends after it starts.' });

export const ZChangeWindows = z
  .object({
    timeZone: z
      .string()
      .trim()
      .default('UTC')
      .refine((tz) => IANAZone.isValidZone(tz), { message: 'Use an IANA time zone such as Europe/Berlin.' }),
    windows: z.array(ZRecurringWindow).max(20, 'At most 20 windows.').default([]),
    recurringFreezes: z.array(ZRecurringWindow).max(20, 'At most 20 recurring freezes.').default([]),
    freezes: z.array(ZFreeze).max(50, 'At most 50 freezes.').default([]),
  })
  .strict();

export type TChangeWindows = z.infer<typeof ZChangeWindows>;
export type TInterval = { start: Date; end: Date; label: string };

export const ALWAYS_OPEN: TChangeWindows = { timeZone: 'UTC', windows: [], recurringFreezes: [], freezes: [] };

/** A real instant → the same wall-clock reading as a "floating" UTC Date (how rrule counts). */
function toFloating(instant: Date, zone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** A floating wall-clock reading → the real instant in `zone` (a time skipped by DST moves forward). */
function fromFloating(floating: Date, zone: string): DateTime {
  return DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  );
}

function localToInstant(local: string, zone: string): Date {
  return DateTime.fromISO(local, { zone }).toJSDate();
}

/** Occurrences of recurring intervals that overlap [from, to). */
function occurrences(rules: TChangeWindows['windows'], zone: string, from: Date, to: Date): TInterval[] {
  const out: TInterval[] = [];
  for (const w of rules) {
    const rule = rrulestr(w.rrule.startsWith('RRULE:') ? w.rrule : `RRULE:${w.rrule}`, { dtstart: RECURRENCE_EPOCH }) as RRule;
    // Widen by the duration (an occurrence that started before `from` may still be running) and a day for DST shifts.
    const lo = new Date(toFloating(from, zone).getTime() - (w.durationMinutes + 24 * 60) * 60_000);
    const hi = new Date(toFloating(to, zone).getTime() + 24 * 60 * 60_000);
    for (const f of rule.between(lo, hi, true)) {
      const start = fromFloating(f, zone);
      const end = start.plus({ minutes: w.durationMinutes });
      if (end.toMillis() > from.getTime() && start.toMillis() < to.getTime()) {
        out.push({ start: start.toJSDate(), end: end.toJSDate(), label: w.label });
      }
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

function freezeIntervals(config: TChangeWindows, from: Date, to: Date): TInterval[] {
  const oneOff = config.freezes
    .map((f) => ({ start: localToInstant(f.from, config.timeZone), end: localToInstant(f.to, config.timeZone), label: f.reason }))
    .filter((f) => f.end > from && f.start < to);
  return [...oneOff, ...occurrences(config.recurringFreezes, config.timeZone, from, to)].sort(
    (a, b) => a.start.getTime() - b.start.getTime(),
  );
}

export type TWindowDecision =
  | { isOpen: true; at: Date }
  | { isOpen: false; at: Date; nextOpen: Date | null; reason: 'outside-window' | 'freeze' | 'not-before'; freeze?: TInterval };

/**
 * When a change approved at `now` may be applied. Cases:
 * - `ignoreWindows` (an admin override for one request) → windows and freezes do not apply
 * - `notBefore` in the future → not before then
 * - inside a window (or no windows) and in no freeze → open now
 * - otherwise → the earliest later instant that is inside a window and outside every freeze
 *   (`nextOpen`; null if none within 400 days), with the reason it is closed now
 */
export function evaluateChangeWindow(
  config: TChangeWindows,
  now: Date,
  opts: { notBefore?: Date | null; ignoreWindows?: boolean } = {},
): TWindowDecision {
  const earliest = opts.notBefore && opts.notBefore > now ? opts.notBefore : now;
  const horizon = new Date(earliest.getTime() + HORIZON_DAYS * 86_400_000);
  if (opts.ignoreWindows) {
    return earliest > now ? { isOpen: false, at: now, nextOpen: earliest, reason: 'not-before' } : { isOpen: true, at: now };
  }
  const freezes = freezeIntervals(config, earliest, horizon);
  const windows = config.windows.length
    ? occurrences(config.windows, config.timeZone, earliest, horizon)
    : [{ start: earliest, end: horizon, label: '' }];
  let nextOpen: Date | null = null;
  for (const w of windows) {
    let t = w.start > earliest ? w.start : earliest;
    // Push t past every freeze it falls in (freezes are sorted; one may end inside another).
    for (let moved = true; moved;) {
      moved = false;
      for (const f of freezes) {
        if (f.start <= t && t < f.end) {
          t = f.end;
          moved = true;
        }
      }
    }
    if (t < w.end) {
      nextOpen = t;
      break;
    }
  }
  if (nextOpen && nextOpen.getTime() === now.getTime()) return { isOpen: true, at: now };
  const freezeNow = freezes.find((f) => f.start <= earliest && earliest < f.end);
  // Name what actually holds it: "not before" only when the window is open at that time.
  const isHeldByNotBefore = earliest > now && nextOpen?.getTime() === earliest.getTime();
  const reason: 'outside-window' | 'freeze' | 'not-before' = isHeldByNotBefore ? 'not-before' : freezeNow ? 'freeze' : 'outside-window';
  return { isOpen: false, at: now, nextOpen, reason, ...(freezeNow && reason === 'freeze' ? { freeze: freezeNow } : {}) };
}

/** The next `count` allowed windows and freezes from `now`, for the admin editor's preview. */
export function previewChangeWindows(config: TChangeWindows, now: Date, count = 5): { windows: TInterval[]; freezes: TInterval[] } {
  const horizon = new Date(now.getTime() + HORIZON_DAYS * 86_400_000);
  return {
    windows: occurrences(config.windows, config.timeZone, now, horizon).slice(0, count),
    freezes: freezeIntervals(config, now, horizon).slice(0, count),
  };
}

/** "Tue 09:00 Europe/Berlin" — how a scheduled time is shown, in the environment's zone. */
export function formatInZone(instant: Date, zone: string): string {
  return `${DateTime.fromJSDate(instant, { zone }).setLocale('en-GB').toFormat('ccc d LLL HH:mm')} ${zone}`;
}

/** "in 14 h", "in 5 min", "in 2 d 3 h" — the time until `instant` from `now`. */
export function formatCountdown(instant: Date, now: Date): string {
  const minutes = Math.max(0, Math.ceil((instant.getTime() - now.getTime()) / 60_000));
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.floor(hours / 24)} d ${hours % 24} h`;
}
