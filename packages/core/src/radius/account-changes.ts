import type { AccountWire } from '@utm5/protocol';

/** Each account's published form as text, by id: what the next re-read is compared with. */
export type AccountTexts = ReadonlyMap<number, string>;

export function accountTexts(items: readonly AccountWire[]): Map<number, string> {
  return new Map(items.map((a) => [a.id, JSON.stringify(a)]));
}

/**
 * What changed between two reads of the accounts utm5_radius gets: the accounts that are new or differ, and the ids
 * that are gone. Every charge changes a balance, so a re-read usually changes a few accounts of many: those go out
 * as events instead of the whole list.
 */
export function accountChanges(prev: AccountTexts, items: readonly AccountWire[]): { texts: Map<number, string>; changed: AccountWire[]; removed: number[] } {
  const texts = accountTexts(items);
  const changed = items.filter((a) => prev.get(a.id) !== texts.get(a.id));
  const removed = [...prev.keys()].filter((id) => !texts.has(id));
  return { texts, changed, removed };
}
