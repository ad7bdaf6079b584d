import { UtmError, fromZoned, zonedParts } from '@utm5/common';

/**
 * When a system service runs (JeraSoft's System Services): a daemon runs all the time; a periodic service every
 * `periodMin` minutes (at most 60) at minutes aligned to `alignMin` (period 5, align 2: XX:02, XX:07, ...); a
 * fixed-time service at the listed HH:MM, in the billing time zone.
 */
export type Schedule =
  | { readonly kind: 'daemon' }
  | { readonly kind: 'periodic'; readonly periodMin: number; readonly alignMin: number }
  | { readonly kind: 'fixed'; readonly times: readonly { readonly hour: number; readonly minute: number }[] };

export class ScheduleError extends UtmError {}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'daemon':
      return 'daemon';
    case 'periodic':
      return `periodic ${s.periodMin} align ${s.alignMin}`;
    case 'fixed':
      return `fixed ${s.times.map((t) => `${pad(t.hour)}:${pad(t.minute)}`).join(' ')}`;
  }
}

/** "daemon", "periodic 5 align 2", "periodic 15", "fixed 00:00 12:30". */
export function parseSchedule(text: string): Schedule {
  const words = text.trim().split(/\s+/);
  const bad = (why: string) =>
    new ScheduleError(
      'UTM_SCHEDULE_BAD',
      `schedule '${text}': ${why} (write "periodic N [align M]" with N 1..60, or "fixed HH:MM [HH:MM ...]")`,
    );
  if (words[0] === 'daemon' && words.length === 1) return { kind: 'daemon' };
  if (words[0] === 'periodic') {
    const period = Number(words[1]);
    if (!Number.isInteger(period) || period < 1 || period > 60) throw bad('the period must be 1 to 60 minutes');
    let align = 0;
    if (words.length === 4 && words[2] === 'align') align = Number(words[3]);
    else if (words.length !== 2) throw bad('unexpected words');
    if (!Number.isInteger(align) || align < 0 || align >= period) throw bad('align must be 0 to period-1');
    return { kind: 'periodic', periodMin: period, alignMin: align };
  }
  if (words[0] === 'fixed' && words.length > 1) {
    const times = words.slice(1).map((w) => {
      const m = /^(\d{1,2}):(\d{2})$/.exec(w);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw bad(`'${w}' is not a time HH:MM`);
      return { hour: Number(m[1]), minute: Number(m[2]) };
    });
    return { kind: 'fixed', times: times.sort((a, b) => a.hour * 60 + a.minute - (b.hour * 60 + b.minute)) };
  }
  throw bad('unknown form');
}

/** The first run time strictly after `after` (unix seconds), evaluated in tz. */
export function nextDue(s: Schedule, after: number, tz: string): number | undefined {
  switch (s.kind) {
    case 'daemon':
      return undefined;
    case 'periodic': {
      let t = Math.floor(after / 60) * 60 + 60;
      for (let i = 0; i < 120; i++, t += 60) {
        const minute = zonedParts(t, tz).minute;
        if ((((minute - s.alignMin) % s.periodMin) + s.periodMin) % s.periodMin === 0) return t;
      }
      return t;
    }
    case 'fixed': {
      const p = zonedParts(after, tz);
      let best: number | undefined;
      for (let d = 0; d <= 2 && best === undefined; d++) {
        for (const tm of s.times) {
          const t = fromZoned(p.year, p.month, p.day + d, tm.hour, tm.minute, 0, tz);
          if (t > after && (best === undefined || t < best)) best = t;
        }
      }
      return best;
    }
  }
}
