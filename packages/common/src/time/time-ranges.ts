import { zonedPartsFast } from './zone';

/**
 * A time range entry as UTM5 stores it: from weekday/hour/minute/second to weekday/hour/minute/second (weekdays
 * 0 Sunday .. 6 Saturday; a range wrapping past Saturday or midnight continues into the next week or day).
 */
export interface RangeEntry {
  readonly wdayStart: number;
  readonly hourStart: number;
  readonly minStart: number;
  readonly secStart: number;
  readonly wdayStop: number;
  readonly hourStop: number;
  readonly minStop: number;
  readonly secStop: number;
}

export interface RangeDay {
  readonly mday: number;
  readonly month: number; // 1..12
}

export interface TimeRange {
  readonly id: number;
  readonly name: string;
  readonly priority: number;
  readonly entries: readonly RangeEntry[];
  readonly days: readonly RangeDay[];
}

const WEEK = 7 * 86400;

function weekSecond(wday: number, h: number, m: number, s: number): number {
  return ((wday % 7) * 86400 + h * 3600 + m * 60 + s) % WEEK;
}

/** Whether unix time t falls in the range, evaluated in the billing time zone. Stops are inclusive to the second. */
export function inRange(r: TimeRange, t: number, tz: string): boolean {
  const p = zonedPartsFast(t, tz);
  if (r.days.some((d) => d.mday === p.day && d.month === p.month)) return true;
  const w = weekSecond(p.weekday, p.hour, p.minute, p.second);
  return r.entries.some((e) => {
    const a = weekSecond(e.wdayStart, e.hourStart, e.minStart, e.secStart);
    const b = weekSecond(e.wdayStop, e.hourStop, e.minStop, e.secStop);
    return a <= b ? w >= a && w <= b : w >= a || w <= b;
  });
}

/** The range in force at t among several: the matching one with the highest priority. */
export function rangeAt(ranges: readonly TimeRange[], t: number, tz: string): TimeRange | undefined {
  let best: TimeRange | undefined;
  for (const r of ranges) if (inRange(r, t, tz) && (!best || r.priority > best.priority)) best = r;
  return best;
}
