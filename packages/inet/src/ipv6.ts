import { parseIpv4 } from './ipv4';

/**
 * IPv6 addresses as 16 bytes and as text (RFC 4291 to read, RFC 5952 to write). Same contract as ipv4.ts: reading
 * text returns undefined for what is not an address, formatting cannot fail.
 */

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/**
 * Eight groups of 1-4 hex digits separated by colons; one '::' stands for one or more zero groups; the last two
 * groups may be written as a dotted IPv4 address (::ffff:192.0.2.1). A zone ("%eth0") is not an address here.
 */
export function parseIpv6(text: string): Uint8Array | undefined {
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const head = gap >= 0 ? text.slice(0, gap) : text;
  const tail = gap >= 0 ? text.slice(gap + 2) : '';
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const last = gap >= 0 ? t : h;
  const groups: number[] = [];
  const read = (parts: string[], v4Last: boolean): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (v4Last && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return false;
        groups.push(Math.floor(v4 / 65536), v4 & 0xffff);
        continue;
      }
      if (p.length === 0 || p.length > 4) return false;
      let v = 0;
      for (let k = 0; k < p.length; k++) {
        const d = hexValue(p.charCodeAt(k));
        if (d < 0) return false;
        v = v * 16 + d;
      }
      groups.push(v);
    }
    return true;
  };
  if (!read(h, last === h)) return undefined;
  const before = groups.length;
  if (!read(t, true)) return undefined;
  const after = groups.length - before;
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  const out = new Uint8Array(16);
  for (let i = 0; i < before; i++) {
    out[2 * i] = groups[i]! >> 8;
    out[2 * i + 1] = groups[i]! & 255;
  }
  for (let i = 0; i < after; i++) {
    const at = 16 - 2 * (after - i);
    out[at] = groups[before + i]! >> 8;
    out[at + 1] = groups[before + i]! & 255;
  }
  return out;
}

/** RFC 5952 text of the 16 bytes at `at`: lower-case hex, no leading zeros, the longest run of 2+ zero groups as '::'. */
export function formatIpv6(buf: Uint8Array, at = 0): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((buf[at + i]! << 8) | buf[at + i + 1]!).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Writes 16 address bytes at `at`. */
export function writeIpv6(buf: Uint8Array, at: number, bytes: Uint8Array): void {
  buf.set(bytes.subarray(0, 16), at);
}
