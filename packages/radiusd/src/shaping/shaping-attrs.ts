import { substituteShapingVariables, type ShapingWire } from '@utm5/protocol';
import type { ReplyAttr } from '../server/attributes';

/** What rendering needs of a link's shaping: the bandwidths (Kbit/s, 0 = none) and the service's attributes. */
export type ShapingView = Pick<ShapingWire, 'inKbit' | 'outKbit' | 'attrs'>;

/**
 * A link's shaping attributes with the manual's variables substituted (a direction without a limit counts as 0):
 * integer attributes (type 0) as numbers, rounded down (IN_BANDWIDTH_MBITS of 512 Kbit/s is 0.5); the others as
 * text, which the encoder types by the dictionary. An integer that does not come out as a number (the core refuses
 * those when they are entered) is left out rather than sent wrong.
 */
export function shapingReplyAttrs(w: ShapingView | undefined): ReplyAttr[] {
  if (!w) return [];
  const out: ReplyAttr[] = [];
  for (const a of w.attrs) {
    const text = substituteShapingVariables(a.value, w.inKbit, w.outKbit);
    const value = a.type === 0 ? Math.floor(Number(text)) : text;
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    out.push({ vendor: a.vendor, attr: a.attr, value });
  }
  return out;
}
