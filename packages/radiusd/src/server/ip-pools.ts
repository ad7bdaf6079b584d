import { formatIpv4 as numberToIpv4, parseIpv4 as ipv4ToNumber } from '@utm5/inet';
import type { PoolWire } from '@utm5/protocol';

/** Addresses handed out and not yet released: busy until the given unix time (Infinity while a session holds it). */
export class AddressBook {
  private readonly busy = new Map<string, number>();

  isFree(ip: string, now: number): boolean {
    const until = this.busy.get(ip);
    return until === undefined || until <= now;
  }

  hold(ip: string, until: number): void {
    this.busy.set(ip, until);
  }

  release(ip: string): void {
    this.busy.delete(ip);
  }
}

/** The host range of ip/mask: network and broadcast addresses are left out of networks wider than /31. */
export function hostRange(ip: string, mask: number): { first: number; count: number } | undefined {
  const base = ipv4ToNumber(ip);
  if (base === undefined || !(mask >= 0 && mask <= 32)) return undefined;
  const size = 2 ** (32 - mask);
  const net = base - (base % size);
  return size <= 2 ? { first: net, count: size } : { first: net + 1, count: size - 2 };
}

/**
 * How many candidates one request looks at in a pool: a nearly full /8 is not scanned whole on the request path.
 * The cursor moves on, so the next request looks at the next window.
 */
const SCAN_WINDOW = 65536;

interface Pool {
  readonly wire: PoolWire;
  readonly first: number;
  readonly count: number;
  /** Where the next search starts: addresses are handed out round the pool, not always the lowest free one. */
  cursor: number;
}

/**
 * The IP pools utm5_radius gives addresses from, by name. Several pools may share a name: by default each is used
 * in turn until it runs out, in the order they were added (id order); with named_pool_shuffle a random one of those
 * with a free address is tried first (the manual's utm5_radius configuration table).
 */
export class PoolSet {
  private byName = new Map<string, Pool[]>();

  constructor(
    readonly book: AddressBook,
    private readonly shuffle: boolean,
    private readonly random: () => number = Math.random,
  ) {}

  /** The pools the core sent; cursors of pools that stay are kept. */
  update(pools: readonly PoolWire[]): void {
    const old = new Map<number, Pool>();
    for (const list of this.byName.values()) for (const p of list) old.set(p.wire.id, p);
    const next = new Map<string, Pool[]>();
    for (const w of [...pools].sort((a, b) => a.id - b.id)) {
      const r = hostRange(w.address, w.mask);
      if (!r) continue;
      const kept = old.get(w.id);
      const cursor = kept && kept.first === r.first && kept.count === r.count ? kept.cursor : 0;
      (next.get(w.name) ?? next.set(w.name, []).get(w.name)!).push({ wire: w, first: r.first, count: r.count, cursor });
    }
    this.byName = next;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The name of the pool an address belongs to, or undefined. */
  nameOf(ip: string): string | undefined {
    const n = ipv4ToNumber(ip);
    if (n === undefined) return undefined;
    for (const [name, list] of this.byName)
      for (const p of list) if (n >= p.first && n < p.first + p.count) return name;
    return undefined;
  }

  /** Takes a free address of the named pools and holds it until `until`; undefined when they are full. */
  take(name: string, now: number, until: number): string | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    let order = list;
    if (this.shuffle && list.length > 1) {
      const start = Math.floor(this.random() * list.length);
      order = [...list.slice(start), ...list.slice(0, start)];
    }
    for (const p of order) {
      const ip = this.freeIn(p, now);
      if (ip !== undefined) {
        this.book.hold(ip, until);
        return ip;
      }
    }
    return undefined;
  }

  private freeIn(p: Pool, now: number): string | undefined {
    const n = Math.min(p.count, SCAN_WINDOW);
    for (let i = 0; i < n; i++) {
      const off = (p.cursor + i) % p.count;
      const ip = numberToIpv4(p.first + off);
      if (this.book.isFree(ip, now)) {
        p.cursor = (off + 1) % p.count;
        return ip;
      }
    }
    p.cursor = (p.cursor + n) % p.count;
    return undefined;
  }
}
