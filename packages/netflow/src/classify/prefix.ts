import { parseAddress } from '@utm5/inet';

/** An address as bytes (4 for IPv4, 16 for IPv6) and a prefix on it; parsing is strict (bad text is an error). */
export interface Prefix {
  readonly bytes: Uint8Array;
  readonly bits: number;
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
