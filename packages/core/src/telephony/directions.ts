import type { CallKey, TelDirection } from './model';

/**
 * The directions in the manual's order (lexicographic, descending, by called prefix, then calling prefix, incoming
 * trunk, outgoing trunk) and the first-match lookup over them. Not implemented yet: see issue 13.
 */
export class DirectionIndex {
  constructor(readonly directions: readonly TelDirection[]) {}

  get size(): number {
    return this.directions.length;
  }

  /** The first direction in the manual's order that the call matches (a skip direction included), or undefined. */
  match(_k: CallKey): TelDirection | undefined {
    throw new Error('DirectionIndex.match: not implemented');
  }
}

/**
 * TEMPORARY STUB in branch tel-catalog only (helper "pure" owns the real one): a direction's regular expression
 * compiled, or why it cannot be. Drop this on merge.
 */
export function compileDirectionPattern(p: string): RegExp | string {
  try {
    return new RegExp(p.startsWith('^') ? p : `^(?:${p})`);
  } catch (err) {
    return (err as Error).message;
  }
}
