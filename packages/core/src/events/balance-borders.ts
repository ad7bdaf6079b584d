import { parseMoney, type Micro } from '@utm5/common';

/**
 * The notification_borders system parameter: balances in currency units separated by spaces ("0 100 500.5"), held
 * as micro-units in ascending order. A word that is not a decimal amount is skipped (the others still count).
 */
export function parseBorders(text: string | undefined): Micro[] {
  const out: Micro[] = [];
  for (const w of (text ?? '').split(/[\s,;]+/)) {
    if (w === '') continue;
    try {
      out.push(parseMoney(w));
    } catch {
      // A typo in one border must not silence the others, nor fail the movement of money that reads them.
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * The border a balance passed going from `before` to `after` (a border is passed when the balance goes from below it
 * to it or above, or from it or above to below), or undefined. Several passed at once: the last one passed, the
 * nearest to the new balance, so one movement raises one event.
 */
export function borderPassed(before: Micro, after: Micro, borders: readonly Micro[]): Micro | undefined {
  if (after > before) {
    let hit: Micro | undefined;
    for (const b of borders) if (before < b && after >= b) hit = b;
    return hit;
  }
  if (after < before) {
    for (const b of borders) if (after < b && before >= b) return b;
  }
  return undefined;
}

/** parseBorders remembered for the last text seen: the parameter is read at every posting, parsed once per change. */
export function bordersOf(read: () => string | undefined): () => readonly Micro[] {
  let text: string | undefined;
  let parsed: Micro[] = [];
  return () => {
    const t = read();
    if (t !== text) {
      text = t;
      parsed = parseBorders(t);
    }
    return parsed;
  };
}
