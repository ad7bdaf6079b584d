import { isIPv6 } from 'node:net';

/**
 * Text <-> bytes for the address data types. Node has no inet_pton, and the codec imports nothing but node:*, so
 * these few lines stand in; node:net validates the text first so the parsers only ever see well-formed input.
 */

export function formatIpv4(b: Buffer, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** Strict dotted quad (no leading zeros, as node:net has it); hand-parsed because replies carry one per packet. */
export function parseIpv4(text: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(4);
  let part = 0;
  let n = -1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (n < 0 || part > 3) return undefined;
      out[part++] = n;
      n = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && n === 0) return undefined;
      n = n < 0 ? c - 48 : n * 10 + c - 48;
      if (n > 255) return undefined;
      digits++;
    } else {
      return undefined;
    }
  }
  return part === 4 ? out : undefined;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (two or more) of zero groups as "::". */
export function formatIpv6(b: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

export function parseIpv6(text: string): Buffer | undefined {
  if (!isIPv6(text)) return undefined;
  let s = text.split('%')[0]!;
  const tail: number[] = [];
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes the last two groups.
  if (s.includes('.')) {
    const colon = s.lastIndexOf(':');
    const v4 = parseIpv4(s.slice(colon + 1));
    if (!v4) return undefined;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    s = s.slice(0, colon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  const groupsOf = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groupsOf(halves[0]);
  const right = [...groupsOf(halves[1]), ...tail];
  const zeros = halves.length === 2 ? new Array<number>(8 - left.length - right.length).fill(0) : [];
  const groups = [...left, ...zeros, ...right];
  if (groups.length !== 8) return undefined;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
