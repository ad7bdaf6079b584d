/**
 * translate and replace: the document profile's replacement list (key → value). translate swaps the whole value
 * when it equals a key (units, call types: "min" → "мин."); replace swaps every key found inside the value.
 */
export type Replacements = ReadonlyMap<string, string>;

export function translate(v: unknown, list: Replacements): string {
  const s = v === null || v === undefined ? '' : String(v);
  return list.get(s) ?? s;
}

export function replaceAll(v: unknown, list: Replacements): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (s === '' || list.size === 0) return s;
  // Longest keys first, so "kb/s" wins over "kb" and each part of the value is replaced once.
  const keys = [...list.keys()].filter((k) => k !== '').sort((a, b) => b.length - a.length);
  if (keys.length === 0) return s;
  const re = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  s = s.replace(re, (m) => list.get(m) ?? m);
  return s;
}
