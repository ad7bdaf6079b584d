import { inRange, type TimeRange } from './time-ranges';
import { zonedPartsFast } from './zone';

/** A price per hour in force during a time range; the highest priority range in force at a moment wins. */
export interface TimePrice {
  readonly range: TimeRange;
  readonly pricePerHour: number;
}

function priceAt(prices: readonly TimePrice[], t: number, tz: string): number {
  let best: TimePrice | undefined;
  for (const p of prices) if (inRange(p.range, t, tz) && (!best || p.range.priority > best.range.priority)) best = p;
  return best?.pricePerHour ?? 0;
}

const WEEK = 7 * 86400;
const SLOT = 900; // zone offsets change only on 15-minute boundaries

function weekSecondOf(e: { wday: number; h: number; m: number; s: number }): number {
  return ((e.wday % 7) * 86400 + e.h * 3600 + e.m * 60 + e.s) % WEEK;
}

interface WeekTable {
  /** Week seconds (from Sunday 00:00 local) where the price may change, ascending, starting with 0. */
  readonly bounds: number[];
  readonly price: number[];
}

const tables = new WeakMap<readonly TimePrice[], WeekTable | null>();

/**
 * The price as a function of the local week second, when every range is made of weekly entries (no calendar days):
 * the places it changes and the price from each. Ranges with calendar days fall back to evaluating moment by moment.
 */
function weekTable(prices: readonly TimePrice[]): WeekTable | undefined {
  const hit = tables.get(prices);
  if (hit !== undefined) return hit ?? undefined;
  if (prices.some((p) => p.range.days.length > 0)) {
    tables.set(prices, null);
    return undefined;
  }
  const spans = prices.flatMap((p) =>
    p.range.entries.map((e) => ({
      p,
      a: weekSecondOf({ wday: e.wdayStart, h: e.hourStart, m: e.minStart, s: e.secStart }),
      b: weekSecondOf({ wday: e.wdayStop, h: e.hourStop, m: e.minStop, s: e.secStop }),
    })),
  );
  const set = new Set<number>([0]);
  for (const x of spans) {
    set.add(x.a);
    set.add((x.b + 1) % WEEK); // stops are inclusive to the second
  }
  const bounds = [...set].sort((a, b) => a - b);
  const price = bounds.map((w) => {
    let best: TimePrice | undefined;
    for (const x of spans) {
      const inside = x.a <= x.b ? w >= x.a && w <= x.b : w >= x.a || w <= x.b;
      if (inside && (!best || x.p.range.priority > best.range.priority)) best = x.p;
    }
    return best?.pricePerHour ?? 0;
  });
  const t = { bounds, price };
  tables.set(prices, t);
  return t;
}

/**
 * Visits [from, to) in stretches of one price each (not merged): by the week table, a stretch ends at the next place
 * the price may change or the next 15-minute slot (where the zone offset may change); otherwise a minute at a time,
 * with a change inside the minute found by bisection. `visit` returns false to stop.
 */
function walk(
  prices: readonly TimePrice[],
  from: number,
  to: number,
  tz: string,
  visit: (start: number, len: number, price: number) => boolean,
): void {
  const table = weekTable(prices);
  let at = from;
  while (at < to) {
    let next: number;
    let price: number;
    if (table) {
      const p = zonedPartsFast(at, tz);
      const w = weekSecondOf({ wday: p.weekday, h: p.hour, m: p.minute, s: p.second });
      let i = table.bounds.length - 1;
      while (table.bounds[i]! > w) i--;
      price = table.price[i]!;
      const nextBound = i + 1 < table.bounds.length ? table.bounds[i + 1]! : WEEK;
      next = Math.min(to, at + (nextBound - w), (Math.floor(at / SLOT) + 1) * SLOT);
    } else {
      price = priceAt(prices, at, tz);
      next = Math.min(to, at + 60);
      if (priceAt(prices, next - 1, tz) !== price) {
        let lo = at;
        let hi = next - 1;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (priceAt(prices, mid, tz) === price) lo = mid;
          else hi = mid;
        }
        next = hi;
      }
    }
    if (!visit(at, next - at, price)) return;
    at = next;
  }
}

/** The cost of connection time [from, to) (unix seconds), each second at the price in force. Micro-units, not rounded. */
export function timeCost(prices: readonly TimePrice[], from: number, to: number, tz: string): number {
  if (to <= from || prices.length === 0) return 0;
  // Seconds per price, summed as integers so a long session does not drift.
  const seconds = new Map<number, number>();
  walk(prices, from, to, tz, (_s, len, price) => {
    seconds.set(price, (seconds.get(price) ?? 0) + len);
    return true;
  });
  let cost = 0;
  for (const [p, s] of seconds) cost += (s * p) / 3600;
  return cost;
}

/** Seconds of connection the money pays for from `from` on, at most `cap` seconds (the Session-Timeout). */
export function affordableSeconds(
  prices: readonly TimePrice[],
  from: number,
  money: number,
  cap: number,
  tz: string,
): number {
  if (money <= 0) return 0;
  let spent = 0;
  let result = cap;
  walk(prices, from, from + cap, tz, (start, len, price) => {
    const c = (len * price) / 3600;
    if (spent + c > money) {
      result = start - from + Math.floor(((money - spent) * 3600) / price);
      return false;
    }
    spent += c;
    return true;
  });
  return result;
}
