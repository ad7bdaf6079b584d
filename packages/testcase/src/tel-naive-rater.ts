/**
 * A second, deliberately naive reading of the manual's telephony rating, for the test case to check the core against:
 * the call is rounded by the tariff's periods and then priced second by second at the price of the day part that
 * second falls in (local time of the case's zone). It shares no code with packages/core's telephony on purpose, and
 * covers only what the case's tariffs use (no prepaid time, borders or fixed cost).
 */

/** The manual's day parts: working days 00:00-08:59:59 and 09:00-23:59:59, and the weekend (Saturday and Sunday). */
export type DayPart = 'night' | 'day' | 'weekend';

export interface NaiveTariff {
  readonly freeTime: number;
  readonly firstPeriodLength: number;
  readonly firstPeriodStep: number;
  readonly secondPeriodStep: number;
  readonly unitSize: number;
  /** Conventional units per unit of time, by zone index and day part. */
  readonly prices: readonly Readonly<Record<DayPart, number>>[];
}

export interface NaiveCost {
  readonly rounded: number;
  /** Conventional units, unrounded. */
  readonly cost: number;
}

/** The rounded length: free calls are 0; within the starting period by its step, after it by the next step. */
export function naiveRounded(t: NaiveTariff, duration: number): number {
  if (duration <= t.freeTime) return 0;
  const s1 = Math.max(1, t.firstPeriodStep);
  const s2 = Math.max(1, t.secondPeriodStep);
  const len = t.firstPeriodLength;
  if (duration <= len) return Math.ceil(duration / s1) * s1;
  return len + Math.ceil((duration - len) / s2) * s2;
}

/** The day part of a unix second in `timeZone`, read through Intl (not the core's time code). */
export function dayPartAt(unix: number, timeZone: string): DayPart {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(unix * 1000))
    .reduce<Record<string, string>>((m, p) => ({ ...m, [p.type]: p.value }), {});
  if (parts['weekday'] === 'Sat' || parts['weekday'] === 'Sun') return 'weekend';
  return Number(parts['hour']) < 9 ? 'night' : 'day';
}

/** Rates one call of `duration` seconds started at `start` to the zone at `zone` (index into the tariff's prices). */
export function naiveCost(t: NaiveTariff, zone: number, start: number, duration: number, timeZone: string): NaiveCost {
  const rounded = naiveRounded(t, duration);
  const prices = t.prices[zone];
  if (!prices) throw new Error(`the naive rater has no prices for zone index ${zone}`);
  // The day parts change on whole hours, so one lookup a minute is still exact second by second.
  const byMinute = new Map<number, DayPart>();
  let cost = 0;
  for (let s = 0; s < rounded; s++) {
    const minute = Math.floor((start + s) / 60);
    let part = byMinute.get(minute);
    if (part === undefined) {
      part = dayPartAt(minute * 60, timeZone);
      byMinute.set(minute, part);
    }
    cost += prices[part] / t.unitSize;
  }
  return { rounded, cost };
}
