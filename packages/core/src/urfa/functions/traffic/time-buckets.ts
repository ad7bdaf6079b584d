import { fromZoned, zonedParts, zoneOffset } from '@utm5/common';

/**
 * The calendar intervals traffic reports sum over, in the billing time zone: an hour, a day or a month, each named by
 * its start (unix seconds). Stored statistics stay UTC; only the grouping is local.
 */
export type BucketUnit = 'hour' | 'day' | 'month';

const HOUR = 3600;

/**
 * Start of the hour, day or month holding t in tz. An hour is cut by the offset in force at t, so the hour repeated
 * when clocks go back is two rows, and zones 30 or 45 minutes off UTC get their own hours.
 */
export function bucketStart(t: number, unit: BucketUnit, tz: string): number {
  if (unit === 'hour') return t - ((((t + zoneOffset(t, tz)) % HOUR) + HOUR) % HOUR);
  const p = zonedParts(t, tz);
  return fromZoned(p.year, p.month, unit === 'day' ? p.day : 1, 0, 0, 0, tz);
}

/** bucketStart with a memo per slot (the report repository's SLOT): a report of one month touches at most 2,976 slots. */
export function bucketer(unit: BucketUnit, tz: string): (slot: number) => number {
  const memo = new Map<number, number>();
  return (slot) => {
    let b = memo.get(slot);
    if (b === undefined) memo.set(slot, (b = bucketStart(slot, unit, tz)));
    return b;
  };
}
