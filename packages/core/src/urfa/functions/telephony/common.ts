import type { CallArgs } from '@utm5/protocol';
import type { TelCatalog } from '../../../telephony/catalog';
import type { HandlerContext } from '../../core-function';

/** The telephony catalog; its writes are awaited into the snapshot so the next call (a CDR) sees them. */
export function tel(ctx: HandlerContext): TelCatalog {
  return ctx.telephony.catalog;
}

/** Waits for the snapshot to hold a change just made, then answers `v`. */
export async function settled<T>(ctx: HandlerContext, v: T): Promise<T> {
  await ctx.telephony.settled();
  return v;
}

/** The skip_id list of the list/count/search functions. */
export function skipIds(a: CallArgs): number[] {
  return Array.from({ length: a.int('skip_ids_cnt') }, (_, i) => a.int('skip_id', i));
}

/** A value of a two-index input (i,j) as a number; the error names it. */
export function num2(a: CallArgs, name: string, i: number, j: number): number {
  const s = a.vars.get(name, [i, j]);
  const n = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(n))
    throw new Error(`input '${name}[${i}][${j}]' is '${s ?? ''}', not a number`);
  return n;
}

/** Refusals answer -1 in the id outputs of the zone and direction functions (their get functions' "none"). */
export const REFUSED = -1;
