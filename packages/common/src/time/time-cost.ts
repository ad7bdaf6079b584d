import { walkRanges } from './range-walk';
import type { TimeRange } from './time-ranges';

/** A price per hour in force during a time range; the highest priority range in force at a moment wins. */
export interface TimePrice {
  readonly range: TimeRange;
  readonly pricePerHour: number;
}

function walk(
  prices: readonly TimePrice[],
  from: number,
  to: number,
  tz: string,
  visit: (start: number, len: number, price: number) => boolean,
): void {
  walkRanges(prices, from, to, tz, (start, len, p) => visit(start, len, p?.pricePerHour ?? 0));
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
