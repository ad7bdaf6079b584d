/**
 * IP traffic pricing, pure: tariffication borders, groups of type sum and max, prepaid traffic. All volumes are
 * bytes within one accounting period; prices are micro-units per megabyte; costs come out in micro-units, not
 * rounded (the caller accumulates them and charges whole micro-units).
 */

/** From `size` bytes of the period on, traffic of the class costs `cost` per megabyte until the next border. */
export interface Border {
  readonly size: number;
  readonly cost: number;
}

export const GroupType = { SUM: 1, MAX: 2 } as const;
export type GroupType = (typeof GroupType)[keyof typeof GroupType];

export interface GroupRef {
  readonly group: number;
  readonly type: GroupType;
}

export interface TrafficPlan {
  /** Borders per class, sorted by size. A class without borders is free. */
  readonly borders: ReadonlyMap<number, readonly Border[]>;
  /** Class -> its group. Groups and prepaid traffic exclude each other (the manual). */
  readonly groups: ReadonlyMap<number, GroupRef>;
  /** Bytes in a megabyte: the square of "Bytes in tariffing unit of kilobyte". */
  readonly mb: number;
}

/** One class's state in the period: bytes so far and the prepaid allowance (spent first, at zero price). */
export interface ClassUsage {
  bytes: number;
  prepaid: number;
}

/** The price per megabyte at a position: the last border at or below it; the hidden border 0 costs 0. */
export function priceAt(borders: readonly Border[], pos: number): number {
  let price = 0;
  for (const b of borders) {
    if (b.size > pos) break;
    price = b.cost;
  }
  return price;
}

/** The cost of the bytes between positions a and b (a <= b), each stretch at its border's price. */
export function costBetween(borders: readonly Border[], a: number, b: number, mb: number): number {
  let cost = 0;
  let at = a;
  while (at < b) {
    const next = borders.find((x) => x.size > at)?.size ?? Infinity;
    const end = Math.min(b, next);
    cost += ((end - at) * priceAt(borders, at)) / mb;
    at = end;
  }
  return cost;
}

/**
 * Adds `bytes` of class `tclass` to the period's usage and returns their cost. Prepaid bytes go first, free. The
 * position on the borders is the class's own volume; in a sum group, the sum of the group's classes; in a max group,
 * the largest class's volume (bytes of a smaller class are priced at the leader's position).
 */
export function addTraffic(plan: TrafficPlan, usage: Map<number, ClassUsage>, tclass: number, bytes: number): number {
  let u = usage.get(tclass);
  if (!u) usage.set(tclass, (u = { bytes: 0, prepaid: 0 }));
  const free = Math.min(bytes, Math.max(0, u.prepaid - u.bytes));
  const paid = bytes - free;
  const borders = plan.borders.get(tclass) ?? [];
  const g = plan.groups.get(tclass);
  let cost = 0;
  if (paid > 0 && borders.length > 0) {
    if (!g) {
      const start = u.bytes + free;
      cost = costBetween(borders, start, start + paid, plan.mb);
    } else {
      const members = [...plan.groups].filter(([, r]) => r.group === g.group).map(([c]) => usage.get(c)?.bytes ?? 0);
      if (g.type === GroupType.SUM) {
        const start = members.reduce((s, v) => s + v, 0) + free;
        cost = costBetween(borders, start, start + paid, plan.mb);
      } else {
        const lead = Math.max(0, ...members);
        const below = Math.min(paid, Math.max(0, lead - u.bytes - free));
        cost = (below * priceAt(borders, lead)) / plan.mb + costBetween(borders, lead, lead + paid - below, plan.mb);
      }
    }
  }
  u.bytes += bytes;
  return cost;
}

/**
 * The prepaid allowance of the next period: the base amount plus what was left unused, unless the service resets
 * prepaid traffic; the carried part is capped by "accumulate no more than" when that is set.
 */
export function nextPrepaid(base: number, cap: number, reset: boolean, prev: ClassUsage | undefined): number {
  if (reset || !prev) return base;
  const left = Math.max(0, prev.prepaid - prev.bytes);
  return base + (cap > 0 ? Math.min(left, cap) : left);
}
