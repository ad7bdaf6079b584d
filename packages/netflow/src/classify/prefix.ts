/** An address as bytes (4 for IPv4, 16 for IPv6) and a prefix on it; parsing is strict (bad text is an error). */
export interface Prefix {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

/** Dotted IPv4 by character codes: this runs for every flow's addresses, where split() and regexes cost most. */
function parseIpv4(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) { // '.'
      if (digits === 0 || part === 3) return undefined;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (part !== 3 || digits === 0) return undefined;
  out[3] = value;
  return out;
}

export function parseAddress(text: string): Uint8Array | undefined {
  if (!text.includes(':')) return parseIpv4(text);
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    b[2 * i] = v >> 8;
    b[2 * i + 1] = v & 0xff;
  });
  return b;
}

/** "10.0.0.0/8", "2001:db8::/32", or a bare address (a host prefix). */
export function parsePrefix(text: string): Prefix | undefined {
  const [a, m] = text.trim().split('/');
  const bytes = parseAddress(a ?? '');
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const bits = m === undefined ? max : /^\d+$/.test(m) ? Number(m) : NaN;
  if (!(bits >= 0 && bits <= max)) return undefined;
  // Host bits are cleared: 10.1.2.3/8 is the network 10.0.0.0/8.
  for (let i = bits; i < max; i++) bytes[i >> 3] = bytes[i >> 3]! & ~(1 << (7 - (i & 7)));
  return { bytes, bits };
}

export function bitAt(b: Uint8Array, i: number): number {
  return (b[i >> 3]! >> (7 - (i & 7))) & 1;
}

export function contains(p: Prefix, addr: Uint8Array): boolean {
  if (addr.length !== p.bytes.length) return false;
  for (let i = 0; i < p.bits; i++) if (bitAt(p.bytes, i) !== bitAt(addr, i)) return false;
  return true;
}

/** A binary trie of prefixes, each node holding the values stored at exactly its prefix. */
export class PrefixTrie<T> {
  private readonly root: TrieNode<T> = {};

  insert(p: Prefix, value: T): void {
    let n = this.root;
    for (let i = 0; i < p.bits; i++) {
      const bit = bitAt(p.bytes, i);
      n = bit ? (n.one ??= {}) : (n.zero ??= {});
    }
    (n.values ??= []).push(value);
  }

  /** Calls fn for every value whose prefix contains addr, shortest prefix first (a callback: generators cost 10x). */
  forEachMatch(addr: Uint8Array, fn: (v: T) => void): void {
    let n: TrieNode<T> | undefined = this.root;
    const bits = addr.length * 8;
    for (let i = 0; n; i++) {
      const vs = n.values;
      if (vs) for (let k = 0; k < vs.length; k++) fn(vs[k]!);
      if (i >= bits) break;
      n = (addr[i >> 3]! >> (7 - (i & 7))) & 1 ? n.one : n.zero;
    }
  }
}

interface TrieNode<T> {
  zero?: TrieNode<T>;
  one?: TrieNode<T>;
  values?: T[];
}
