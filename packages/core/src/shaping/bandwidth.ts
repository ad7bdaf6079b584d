import { inRange, type TimeRange } from '@utm5/common';
import { ACC_STATE, SHAPING_FLAG, type DirectionShaping, type ShapingLimit } from './settings';

/**
 * The Dynashape decision, pure: which limit of a direction is in force for a link now.
 *
 * The manual: limits apply "during the selected time ranges ... to the selected traffic classes, according to the
 * amount of traffic consumed by the given service link", and passing a border applies the next limit "sequentially".
 * Read here as: a limit applies when its time range is in force now (0 = at any time), the link's account is in the
 * limit's state, and the link has consumed at least the limit's border in bytes of the counted classes in its current
 * accounting period; among those the one with the highest border is in force. Equal borders go to the more specific
 * limit: an explicit account state before "any", then the time range of higher priority (an explicit range before
 * "at any time"), then the lower bandwidth, so the outcome never depends on the order the limits were entered.
 */

/** The link's side of the decision. */
export interface LinkUsage {
  /** Bytes consumed per traffic class in the link's current accounting period. */
  readonly bytes: ReadonlyMap<number, number>;
  /** The account is blocked (any block type). */
  readonly blocked: boolean;
}

/** Bytes of the counted classes. */
export function countedBytes(tclasses: readonly number[], bytes: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const c of new Set(tclasses)) sum += bytes.get(c) ?? 0;
  return sum;
}

/** The time ranges in force at `now` in the billing time zone, by id, with their priorities. */
export function rangesInForce(ranges: Iterable<TimeRange>, now: number, tz: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of ranges) if (inRange(r, now, tz)) out.set(r.id, r.priority);
  return out;
}

const ALWAYS = Number.NEGATIVE_INFINITY;

function applies(l: ShapingLimit, consumed: number, blocked: boolean, inForce: ReadonlyMap<number, number>): boolean {
  if (l.border > consumed) return false;
  if (l.accState === ACC_STATE.ACTIVE && blocked) return false;
  if (l.accState === ACC_STATE.BLOCKED && !blocked) return false;
  return l.timeRangeId === 0 || inForce.has(l.timeRangeId);
}

/** -1 when a goes first, 1 when b does (see the rule above). */
function precedence(a: ShapingLimit, b: ShapingLimit, inForce: ReadonlyMap<number, number>): number {
  if (a.border !== b.border) return a.border > b.border ? -1 : 1;
  const sa = a.accState !== ACC_STATE.ANY ? 1 : 0;
  const sb = b.accState !== ACC_STATE.ANY ? 1 : 0;
  if (sa !== sb) return sb - sa;
  const pa = a.timeRangeId === 0 ? ALWAYS : inForce.get(a.timeRangeId)!;
  const pb = b.timeRangeId === 0 ? ALWAYS : inForce.get(b.timeRangeId)!;
  if (pa !== pb) return pa > pb ? -1 : 1;
  return a.kbit - b.kbit;
}

/** The limit in force given the ranges in force now (see rangesInForce), or undefined: no limit. */
export function limitInForce(
  d: DirectionShaping,
  usage: LinkUsage,
  inForce: ReadonlyMap<number, number>,
): ShapingLimit | undefined {
  const consumed = countedBytes(d.tclasses, usage.bytes);
  let best: ShapingLimit | undefined;
  for (const l of d.limits) {
    if (applies(l, consumed, usage.blocked, inForce) && (!best || precedence(l, best, inForce) < 0)) best = l;
  }
  return best;
}

/** The bandwidth in force at `now` in Kbit/s, or undefined when no limit applies. */
export function bandwidthAt(
  d: DirectionShaping,
  usage: LinkUsage,
  now: number,
  ranges: ReadonlyMap<number, TimeRange>,
  tz: string,
): number | undefined {
  const wanted = [...new Set(d.limits.map((l) => l.timeRangeId))]
    .map((id) => ranges.get(id))
    .filter((r): r is TimeRange => r !== undefined);
  return limitInForce(d, usage, rangesInForce(wanted, now, tz))?.kbit;
}

/** The IP groups of a link the shaping applies to: those of the kinds the settings select (SHAPING_FLAG). */
export function shapedGroups<G extends { readonly vpn: boolean }>(flags: number, groups: readonly G[]): G[] {
  return groups.filter((g) => (g.vpn ? (flags & SHAPING_FLAG.VPN) !== 0 : (flags & SHAPING_FLAG.NON_VPN) !== 0));
}
