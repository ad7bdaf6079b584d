import { inRange, type TimeRange } from './time-ranges';

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

/**
 * The cost of connection time [from, to) (unix seconds), split where the price changes, to the second: the walk
 * steps a minute at a time and finds a change inside the minute by bisection. Micro-units, not rounded.
 */
export function timeCost(prices: readonly TimePrice[], from: number, to: number, tz: string): number {
  if (to <= from || prices.length === 0) return 0;
  // Seconds per price, summed as integers so a long session does not drift.
  const seconds = new Map<number, number>();
  let at = from;
  let price = priceAt(prices, at, tz);
  while (at < to) {
    let next = Math.min(to, at + 60);
    if (priceAt(prices, next - 1, tz) !== price) {
      // The price changes within (at, next - 1]: find the first second of the new price.
      let lo = at;
      let hi = next - 1;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (priceAt(prices, mid, tz) === price) lo = mid;
        else hi = mid;
      }
      next = hi;
    }
    seconds.set(price, (seconds.get(price) ?? 0) + next - at);
    at = next;
    if (at < to) price = priceAt(prices, at, tz);
  }
  let cost = 0;
  for (const [p, s] of seconds) cost += (s * p) / 3600;
  return cost;
}

/** Seconds of connection the money pays for from `from` on, at most `cap` seconds (the Session-Timeout). */
export function affordableSeconds(prices: readonly TimePrice[], from: number, money: number, cap: number, tz: string): number {
  if (money <= 0) return 0;
  let spent = 0;
  let at = from;
  while (at - from < cap) {
    const p = priceAt(prices, at, tz);
    const step = Math.min(60, cap - (at - from));
    const c = (step * p) / 3600;
    if (spent + c > money) return at - from + (p > 0 ? Math.floor(((money - spent) * 3600) / p) : step);
    spent += c;
    at += step;
  }
  return cap;
}
