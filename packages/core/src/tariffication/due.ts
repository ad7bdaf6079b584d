import { mulDiv } from '@utm5/common';
import { blockExcludesFee, PolicyFlag } from './charge-policy';

export interface Interval {
  readonly from: number;
  readonly to: number;
}

export interface BlockSpan extends Interval {
  readonly blockType: number;
  /** The charge-policy flags frozen when the block began. */
  readonly policyFlags: number;
}

export interface DueInput {
  readonly periodStart: number;
  readonly periodEnd: number;
  /** The link's effective start (its start date, or its creation time when that was later) and end. */
  readonly linkStart: number;
  readonly linkEnd: number;
  /** The full fee for the period after coefficients. */
  readonly fullCost: number;
  /** 0 for the period current when the link was made. */
  readonly ordinal: number;
  readonly policyFlags: number;
  /** Charge method: 1 at the start, 2 at the end, 3 flow. */
  readonly method: number;
  readonly blocks: readonly BlockSpan[];
  /** Count only up to this time (now, for settlements within the period). */
  readonly until: number;
}

/** Total length of the union of intervals clipped to `within`. */
export function unionLength(spans: readonly Interval[], within: Interval): number {
  const clipped = spans
    .map((s) => ({ from: Math.max(s.from, within.from), to: Math.min(s.to, within.to) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  let total = 0;
  let cur: Interval | undefined;
  for (const s of clipped) {
    if (!cur || s.from > cur.to) {
      if (cur) total += cur.to - cur.from;
      cur = { ...s };
    } else cur = { from: cur.from, to: Math.max(cur.to, s.to) };
  }
  if (cur) total += cur.to - cur.from;
  return total;
}

/**
 * What a link's periodic fee comes to for one period, as far as is known at `until`:
 * - the period where the link was made costs the full fee, or with "recalc on creation" the fee x l/L for the part
 *   from the link's start to the period's end (the manual's l1/L, l2/L); flow charging always accrues over the
 *   active part only;
 * - a link that ends within the period stops accruing there (at-start fees are kept unless refunds on removal);
 * - time under a block whose policy says "recalc periodic fee" or "do not charge" is not billed.
 * Amounts are integer micro-units; l/L fractions are computed exactly and rounded half away from zero.
 */
export function dueFor(d: DueInput): number {
  const L = d.periodEnd - d.periodStart;
  if (L <= 0 || d.fullCost === 0) return 0;
  const active: Interval = { from: Math.max(d.periodStart, d.linkStart), to: Math.min(d.periodEnd, d.linkEnd) };
  if (active.to <= active.from) return 0;
  const firstPeriod = d.ordinal === 0;
  const recalcOnCreate = (d.policyFlags & PolicyFlag.RECALC_FEE_ON_CREATE) !== 0 || d.method === 3;
  const endsInside = active.to < d.periodEnd;
  const removalRepays = (d.policyFlags & PolicyFlag.REPAY_ON_LINK_REMOVAL) !== 0 || d.method !== 1;
  // The part of the period the fee is for.
  const from = firstPeriod && !recalcOnCreate ? d.periodStart : active.from;
  const to = endsInside && removalRepays ? active.to : d.periodEnd;
  let billed = Math.max(0, to - from);
  const blocked = d.blocks.filter((b) => blockExcludesFee(b.policyFlags, b.blockType));
  billed -= unionLength(blocked, {
    from: Math.max(from, active.from),
    to: Math.min(to, active.to, Math.max(d.until, active.from)),
  });
  return mulDiv(d.fullCost, Math.max(0, billed), L);
}

/** What flow charging has accrued by time t: the period's due so far, in proportion to the billed time elapsed. */
export function flowAccrued(d: DueInput, t: number): number {
  const L = d.periodEnd - d.periodStart;
  if (L <= 0 || d.fullCost === 0) return 0;
  const active: Interval = { from: Math.max(d.periodStart, d.linkStart), to: Math.min(d.periodEnd, d.linkEnd, t) };
  if (active.to <= active.from) return 0;
  const blocked = d.blocks.filter((b) => blockExcludesFee(b.policyFlags, b.blockType));
  const billed = active.to - active.from - unionLength(blocked, active);
  return mulDiv(d.fullCost, Math.max(0, billed), L);
}
