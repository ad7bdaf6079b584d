import { inRange, type TimeRange } from './time-ranges';
import { zonedPartsFast } from './zone';

/** Anything priced by a time range: the highest priority range in force at a moment wins (the first on a tie). */
export interface Ranged {
  readonly range: TimeRange;
}

function winnerAt<T extends Ranged>(items: readonly T[], t: number, tz: string): T | undefined {
  let best: T | undefined;
  for (const p of items) if (inRange(p.range, t, tz) && (!best || p.range.priority > best.range.priority)) best = p;
  return best;
}

const WEEK = 7 * 86400;
const SLOT = 900; // zone offsets change only on 15-minute boundaries

function weekSecondOf(e: { wday: number; h: number; m: number; s: number }): number {
  return ((e.wday % 7) * 86400 + e.h * 3600 + e.m * 60 + e.s) % WEEK;
}

interface WeekTable {
  /** Week seconds (from Sunday 00:00 local) where the winner may change, ascending, starting with 0. */
  readonly bounds: number[];
  /** Index into the items of the winner from each bound; -1: none in force. */
  readonly winner: number[];
}

const tables = new WeakMap<readonly Ranged[], WeekTable | null>();

/**
 * The winner as a function of the local week second, when every range is made of weekly entries (no calendar days):
 * the places it changes and the winner from each. Ranges with calendar days fall back to evaluating moment by moment.
 */
function weekTable(items: readonly Ranged[]): WeekTable | undefined {
  const hit = tables.get(items);
  if (hit !== undefined) return hit ?? undefined;
  if (items.some((p) => p.range.days.length > 0)) {
    tables.set(items, null);
    return undefined;
  }
  const spans = items.flatMap((p, i) =>
    p.range.entries.map((e) => ({
      i,
      priority: p.range.priority,
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
  const winner = bounds.map((w) => {
    let best: (typeof spans)[number] | undefined;
    for (const x of spans) {
      const inside = x.a <= x.b ? w >= x.a && w <= x.b : w >= x.a || w <= x.b;
      // On equal priority the earlier item wins, as in winnerAt: spans are in item order.
      if (inside && (!best || x.priority > best.priority)) best = x;
    }
    return best ? best.i : -1;
  });
  const t = { bounds, winner };
  tables.set(items, t);
  return t;
}

/**
 * Visits [from, to) in stretches with one range-priced item in force each (undefined: none; stretches not merged, so
 * neighbours may have the same item): by the week table a stretch ends at the next place the winner may change or
 * the next 15-minute slot (where the zone offset may change); otherwise a minute at a time, with a change inside the
 * minute found by bisection. `visit` returns false to stop. The item array is cached by identity: pass the same one.
 */
export function walkRanges<T extends Ranged>(
  items: readonly T[],
  from: number,
  to: number,
  tz: string,
  visit: (start: number, len: number, item: T | undefined) => boolean,
): void {
  const table = weekTable(items);
  let at = from;
  while (at < to) {
    let next: number;
    let item: T | undefined;
    if (table) {
      const p = zonedPartsFast(at, tz);
      const w = weekSecondOf({ wday: p.weekday, h: p.hour, m: p.minute, s: p.second });
      let i = table.bounds.length - 1;
      while (table.bounds[i]! > w) i--;
      const k = table.winner[i]!;
      item = k < 0 ? undefined : items[k];
      const nextBound = i + 1 < table.bounds.length ? table.bounds[i + 1]! : WEEK;
      next = Math.min(to, at + (nextBound - w), (Math.floor(at / SLOT) + 1) * SLOT);
    } else {
      item = winnerAt(items, at, tz);
      next = Math.min(to, at + 60);
      if (winnerAt(items, next - 1, tz) !== item) {
        let lo = at;
        let hi = next - 1;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (winnerAt(items, mid, tz) === item) lo = mid;
          else hi = mid;
        }
        next = hi;
      }
    }
    if (!visit(at, next - at, item)) return;
    at = next;
  }
}
