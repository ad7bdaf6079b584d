import { walkRanges } from '@utm5/common';
import { directionClass } from './model';
import type { RatedCall, RatedPart, TelBorder, TelClassTariff, TelDirection, TelTariff, TelUsage } from './model';

/** Seconds charged for a call of `duration` seconds by the service's free time and rounding steps. */
export function roundDuration(t: TelTariff, duration: number): number {
  if (duration <= t.freeTime || duration <= 0) return 0;
  const L = t.firstPeriodLength;
  const s1 = Math.max(1, t.firstPeriodStep);
  const s2 = Math.max(1, t.secondPeriodStep);
  return duration <= L ? Math.ceil(duration / s1) * s1 : L + Math.ceil((duration - L) / s2) * s2;
}

/** The service's tariff class for a direction: the direction's own when priced, else its zone's; undefined: none. */
export function classOf(t: TelTariff, dir: TelDirection | undefined): TelClassTariff | undefined {
  if (!dir) return undefined;
  return t.classes.get(directionClass(dir.id)) ?? (dir.zoneId > 0 ? t.classes.get(dir.zoneId) : undefined);
}

/** The multiplier at `used` accumulated seconds and the accumulated seconds where the next border starts. */
function borderAt(borders: readonly TelBorder[], used: number): { mult: number; next: number } {
  let mult = 1;
  for (const b of borders) {
    if (b.border > used) return { mult, next: b.border };
    mult = b.mult;
  }
  return { mult, next: Infinity };
}

interface Stretch {
  start: number;
  duration: number;
  basePrice: number;
  mult: number;
  prepaid: boolean;
}

/** Rates one call starting at `start` (unix s) in billing time zone `tz` given the link's usage of the class so far. */
export function rateCall(
  t: TelTariff,
  cls: TelClassTariff | undefined,
  start: number,
  duration: number,
  usage: TelUsage,
  tz: string,
): RatedCall {
  const rounded = roundDuration(t, duration);
  if (rounded === 0) return { rounded: 0, parts: [], cost: 0, fixedCost: 0, usage, covered: true };
  if (!cls) {
    // No class to price it, nor usage to count it in: one part at zero (the caller flags NO_DIRECTION).
    const part: RatedPart = { start, duration: rounded, basePrice: 0, mult: 1, cost: 0, prepaid: false };
    return { rounded, parts: [part], cost: 0, fixedCost: 0, usage, covered: true };
  }
  const stretches: Stretch[] = [];
  const push = (start: number, duration: number, basePrice: number, mult: number, prepaid: boolean) => {
    const last = stretches[stretches.length - 1];
    if (last && last.basePrice === basePrice && last.mult === mult && last.prepaid === prepaid)
      last.duration += duration;
    else stretches.push({ start, duration, basePrice, mult, prepaid });
  };
  let prepaidLeft = Math.min(rounded, Math.max(0, cls.prepaid - usage.prepaidUsed));
  const prepaidTaken = prepaidLeft;
  let used = usage.used;
  let covered = true;
  walkRanges(cls.prices, start, start + rounded, tz, (at, len, item) => {
    if (!item) covered = false;
    let s = at;
    let left = len;
    if (prepaidLeft > 0) {
      const p = Math.min(prepaidLeft, left);
      push(s, p, 0, 1, true);
      prepaidLeft -= p;
      if (t.discountFreeTime) used += p;
      s += p;
      left -= p;
    }
    while (left > 0) {
      const b = borderAt(cls.borders, used);
      const n = Math.min(left, b.next - used);
      push(s, n, item?.price ?? 0, b.mult, false);
      used += n;
      s += n;
      left -= n;
    }
    return true;
  });
  // A unit size of 0 would divide by zero: the catalog refuses it; read as 1 second here rather than fail a call.
  const unit = Math.max(1, t.unitSize);
  let cost = cls.fixedCost;
  const parts = stretches.map((p): RatedPart => {
    const c = (p.duration * p.basePrice * p.mult) / unit;
    cost += c;
    return { ...p, cost: c };
  });
  return {
    rounded,
    parts,
    cost,
    fixedCost: cls.fixedCost,
    usage: { used, prepaidUsed: usage.prepaidUsed + prepaidTaken },
    covered,
  };
}

/**
 * The longest call from `start` that `balance` micro-units pay for (prepaid time first, then prices and borders),
 * and that stays within time covered by a price, at most `cap` seconds.
 *
 * The answer is a reported duration d: the call is rated as rateCall(d) would, so its rounded length (the steps, the
 * fixed cost) must be paid and covered in full, and the step d + 1 would start is not. 0 when even the first charged
 * duration (free time + 1) is not paid for or not covered; within the free time nothing is charged, so a cap inside
 * it is returned as it is once that first step is affordable. Rounding is non-decreasing in d within the starting
 * period and after it (not across: a starting step that does not divide the period can round d = L above d = L + 1),
 * and cost and coverage only grow with the rounded length, so each of the two stretches is searched by bisection.
 */
export function creditSeconds(
  t: TelTariff,
  cls: TelClassTariff,
  start: number,
  usage: TelUsage,
  balance: number,
  cap: number,
  tz: string,
): number {
  const ok = (d: number) => {
    const r = rateCall(t, cls, start, d, usage, tz);
    return r.covered && r.cost <= balance;
  };
  const first = Math.max(1, t.freeTime + 1);
  if (!ok(first)) return 0;
  if (cap < first) return Math.max(0, cap);
  const L = t.firstPeriodLength;
  let best = first;
  for (const [lo, hi] of [
    [first, Math.min(cap, L)],
    [Math.max(first, L + 1), cap],
  ] as const) {
    if (lo > hi || !ok(lo)) continue;
    let a = lo; // ok
    let b = hi + 1; // not known ok: the first failing one, or past the end
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (ok(mid)) a = mid;
      else b = mid;
    }
    best = Math.max(best, a);
  }
  return best;
}
