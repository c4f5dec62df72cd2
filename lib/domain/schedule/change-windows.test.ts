import { describe, expect, it } from 'vitest';
import {
  evaluateChangeWindow,
  formatCountdown,
  formatInZone,
  previewChangeWindows,
  ZChangeWindows,
  type TChangeWindows,
} from './change-windows';

const BERLIN_WEEKDAYS: TChangeWindows = ZChangeWindows.parse({
  timeZone: 'Europe/Berlin',
  windows: [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH;BYHOUR=9;BYMINUTE=0', durationMinutes: 480, label: 'office hours' }],
});
const at = (iso: string) => new Date(iso);

describe('evaluateChangeWindow', () => {
  const cases: [string, TChangeWindows, string, { notBefore?: string; ignoreWindows?: boolean }, boolean, string | null, string?][] = [
    ['no windows: always open', ZChangeWindows.parse({}), '2026-11-29T03:00:00Z', {}, true, null],
    ['inside Tuesday 09:00–17:00 Berlin (UTC+1)', BERLIN_WEEKDAYS, '2026-12-01T09:30:00Z', {}, true, null],
    [
      'Tuesday 07:59 UTC is 08:59 Berlin: opens at 08:00 UTC',
      BERLIN_WEEKDAYS,
      '2026-12-01T07:59:00Z',
      {},
      false,
      '2026-12-01T08:00:00.000Z',
      'outside-window',
    ],
    [
      'window end is exclusive: 17:00 Berlin waits until Wednesday',
      BERLIN_WEEKDAYS,
      '2026-12-01T16:00:00Z',
      {},
      false,
      '2026-12-02T08:00:00.000Z',
      'outside-window',
    ],
    [
      'Friday evening waits until Monday 09:00',
      BERLIN_WEEKDAYS,
      '2026-12-04T18:00:00Z',
      {},
      false,
      '2026-12-07T08:00:00.000Z',
      'outside-window',
    ],
    [
      'summer time: 09:00 Berlin is 07:00 UTC',
      BERLIN_WEEKDAYS,
      '2026-06-01T06:30:00Z',
      {},
      false,
      '2026-06-01T07:00:00.000Z',
      'outside-window',
    ],
    [
      'across the spring DST change (Sun 29 Mar 2026): Monday opens 07:00 UTC',
      BERLIN_WEEKDAYS,
      '2026-03-27T18:00:00Z',
      {},
      false,
      '2026-03-30T07:00:00.000Z',
      'outside-window',
    ],
    [
      'across the autumn DST change (Sun 25 Oct 2026): Monday opens 08:00 UTC',
      BERLIN_WEEKDAYS,
      '2026-10-23T18:00:00Z',
      {},
      false,
      '2026-10-26T08:00:00.000Z',
      'outside-window',
    ],
    [
      'not-before inside a window',
      BERLIN_WEEKDAYS,
      '2026-12-01T09:00:00Z',
      { notBefore: '2026-12-01T10:00:00Z' },
      false,
      '2026-12-01T10:00:00.000Z',
      'not-before',
    ],
    [
      'not-before after the window closes: next window',
      BERLIN_WEEKDAYS,
      '2026-12-01T09:00:00Z',
      { notBefore: '2026-12-01T16:30:00Z' },
      false,
      '2026-12-02T08:00:00.000Z',
      'outside-window',
    ],
    ['not-before in the past is ignored', BERLIN_WEEKDAYS, '2026-12-01T09:00:00Z', { notBefore: '2026-11-01T00:00:00Z' }, true, null],
    ['override ignores windows', BERLIN_WEEKDAYS, '2026-12-05T09:00:00Z', { ignoreWindows: true }, true, null],
    [
      'override still respects not-before',
      BERLIN_WEEKDAYS,
      '2026-12-05T09:00:00Z',
      { ignoreWindows: true, notBefore: '2026-12-05T10:00:00Z' },
      false,
      '2026-12-05T10:00:00.000Z',
      'not-before',
    ],
  ];
  it.each(cases)('%s', (_name, config, now, opts, isOpen, nextOpen, reason) => {
    const d = evaluateChangeWindow(config, at(now), {
      notBefore: opts.notBefore ? at(opts.notBefore) : null,
      ignoreWindows: opts.ignoreWindows,
    });
    expect(d.isOpen).toBe(isOpen);
    if (!d.isOpen) {
      expect(d.nextOpen?.toISOString() ?? null).toBe(nextOpen);
      expect(d.reason).toBe(reason);
    }
  });

  const FROZEN: TChangeWindows = ZChangeWindows.parse({
    ...BERLIN_WEEKDAYS,
    freezes: [{ from: '2026-12-21T00:00', to: '2027-01-05T00:00', reason: 'year-end freeze' }],
  });
  it('a freeze closes a window and the next opening is the first window after it', () => {
    const d = evaluateChangeWindow(FROZEN, at('2026-12-22T10:00:00Z'));
    expect(d).toMatchObject({ isOpen: false, reason: 'freeze', freeze: { label: 'year-end freeze' } });
    // 5 Jan 2027 is a Tuesday; 09:00 Berlin (UTC+1) = 08:00 UTC.
    expect(!d.isOpen && d.nextOpen?.toISOString()).toBe('2027-01-05T08:00:00.000Z');
  });
  it('a freeze covering the requester’s "not before" is named as the reason, not the "not before"', () => {
    const d = evaluateChangeWindow(FROZEN, at('2026-12-20T10:00:00Z'), { notBefore: at('2026-12-22T10:00:00Z') });
    expect(d).toMatchObject({ isOpen: false, reason: 'freeze', nextOpen: at('2027-01-05T08:00:00.000Z') });
  });
  it('a freeze ending inside a window opens at the freeze end', () => {
    const c = ZChangeWindows.parse({
      ...BERLIN_WEEKDAYS,
      freezes: [{ from: '2026-12-01T08:00', to: '2026-12-01T11:30', reason: 'release' }],
    });
    const d = evaluateChangeWindow(c, at('2026-12-01T08:30:00Z'));
    expect(!d.isOpen && d.nextOpen?.toISOString()).toBe('2026-12-01T10:30:00.000Z');
  });
  it('a recurring freeze (Friday afternoons) inside an always-open schedule', () => {
    const c = ZChangeWindows.parse({
      timeZone: 'UTC',
      recurringFreezes: [{ rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=12', durationMinutes: 60 * 60 }],
    });
    expect(evaluateChangeWindow(c, at('2026-12-04T11:59:00Z')).isOpen).toBe(true);
    const d = evaluateChangeWindow(c, at('2026-12-04T13:00:00Z'));
    expect(!d.isOpen && d.nextOpen?.toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
  it('a window that never comes within the horizon gives no next opening', () => {
    const c = ZChangeWindows.parse({ timeZone: 'UTC', windows: [{ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', durationMinutes: 60 }] });
    const d = evaluateChangeWindow(c, at('2026-12-01T00:00:00Z'));
    expect(d).toMatchObject({ isOpen: false, nextOpen: null });
  });
});

describe('ZChangeWindows', () => {
  const bad: [string, unknown, string, RegExp][] = [
    ['unknown zone', { timeZone: 'Mars/Olympus' }, 'timeZone', /IANA time zone/],
    ['broken rrule', { windows: [{ rrule: 'FREQ=SOMETIMES', durationMinutes: 60 }] }, 'windows.0.rrule', /RRULE/],
    ['hourly rule', { windows: [{ rrule: 'FREQ=HOURLY', durationMinutes: 60 }] }, 'windows.0.rrule', /DAILY, WEEKLY/],
    ['zero duration', { windows: [{ rrule: 'FREQ=DAILY', durationMinutes: 0 }] }, 'windows.0.durationMinutes', /at least 1 minute/],
    [
      'freeze ends before it starts',
      { freezes: [{ from: '2026-12-02T00:00', to: '2026-12-01T00:00', reason: 'x' }] },
      'freezes.0.to',
      /ends after/,
    ],
    ['freeze without reason', { freezes: [{ from: '2026-12-01T00:00', to: '2026-12-02T00:00', reason: '' }] }, 'freezes.0.reason', /why/],
    ['freeze in a bad format', { freezes: [{ from: '1 Dec', to: '2026-12-02T00:00', reason: 'x' }] }, 'freezes.0.from', /YYYY-MM-DD/],
    ['unknown key', { windowz: [] }, '', /Unrecognized key/],
  ];
  it.each(bad)('refuses %s, naming the field', (_n, input, path, message) => {
    const r = ZChangeWindows.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(path);
    expect(issue.message).toMatch(message);
  });
});

describe('preview and formatting', () => {
  it('lists the next occurrences in order, in real instants', () => {
    const p = previewChangeWindows(BERLIN_WEEKDAYS, at('2026-12-03T18:00:00Z'), 3);
    expect(p.windows.map((w) => w.start.toISOString())).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-08T08:00:00.000Z',
      '2026-12-09T08:00:00.000Z',
    ]);
  });
  it('formats a scheduled time in the zone with a countdown', () => {
    expect(formatInZone(at('2026-12-01T08:00:00Z'), 'Europe/Berlin')).toBe('Tue 1 Dec 09:00 Europe/Berlin');
    expect(formatCountdown(at('2026-12-01T08:00:00Z'), at('2026-11-30T18:00:00Z'))).toBe('in 14 h');
    expect(formatCountdown(at('2026-12-01T08:00:00Z'), at('2026-12-01T07:55:00Z'))).toBe('in 5 min');
  });
});
