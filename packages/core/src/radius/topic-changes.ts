/** Each item's published form as text, by its key: what the next read of a topic is compared with. */
export type KeyedTexts = ReadonlyMap<string, string>;

export function keyedTexts<T>(items: readonly T[], key: (t: T) => string): Map<string, string> {
  return new Map(items.map((t) => [key(t), JSON.stringify(t)]));
}

/**
 * What changed between two reads of a keyed topic (accounts by id, logins by login): the items that are new or
 * differ, and the keys that are gone. A charge changes one balance and a new link one login, so changes go out as
 * events instead of the whole list (which with 100k accounts is megabytes, every few seconds).
 */
export function keyedChanges<T>(
  prev: KeyedTexts,
  items: readonly T[],
  key: (t: T) => string,
): { texts: Map<string, string>; changed: T[]; removed: string[] } {
  const texts = keyedTexts(items, key);
  const changed = items.filter((t) => prev.get(key(t)) !== texts.get(key(t)));
  const removed = [...prev.keys()].filter((k) => !texts.has(k));
  return { texts, changed, removed };
}
