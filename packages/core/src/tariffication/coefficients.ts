/** One coefficient of a scheme: from ordinal period `delay`, for `duration` periods (0 = for good). */
export interface CoeffItem {
  readonly delay: number;
  readonly duration: number;
  readonly coeffE6: number;
}

/**
 * The multiplier (x1e6) a coefficient scheme applies in ordinal period k of a link (0 = the period current at the
 * link's creation, 1 = the first full period ...); 1.0 where no item covers k. With items "0.5 for period 1" and
 * "0.75 for period 7": periods 0 and 2..6 cost 100%, period 1 50%, period 7 75%.
 */
export function coefficientE6(items: readonly CoeffItem[], k: number): number {
  for (const it of items) {
    if (k >= it.delay && (it.duration <= 0 || k < it.delay + it.duration)) return it.coeffE6;
  }
  return 1_000_000;
}
