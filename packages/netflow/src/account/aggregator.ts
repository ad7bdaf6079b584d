import type { FlowRecord } from '../flow';
import { TrafficClassifier, type SubclassDef, type TrafficClassDef } from '../classify/classifier';
import { parseAddress } from '@utm5/inet';
import { PrefixTrie, parsePrefix } from '../classify/prefix';

/*
 * The aggregator's inputs and output are declared here by what it reads and writes. The programs feed it the Stream
 * items of @utm5/protocol (TclassItem, IpGroupItem, TrafficItem), which this package may not import (it imports only
 * node:*); the compiler checks that those fit these where a program hands one to the other.
 */

/** The statistics interval aggregates are kept per unless a receiver says otherwise: an hour (traffic_stats' rows). */
export const STATS_INTERVAL_SECONDS = 3600;

/** Local traffic (both ends are accounted addresses) goes to the receiver, the sender or both (the manual). */
export const LocalPolicy = { RECEIVER: 0, SENDER: 1, BOTH: 2 } as const;
export type LocalPolicy = (typeof LocalPolicy)[keyof typeof LocalPolicy];

/** A traffic class; its time range `R` is opaque here and evaluated by the program's RangeCheck. */
export interface AggregatorClass<R> {
  readonly id: number;
  readonly name: string;
  readonly dontSave: boolean;
  readonly localPolicy: LocalPolicy;
  readonly timeRange: R | null;
  readonly subclasses: readonly SubclassDef[];
}

/** An address or network of a service link, optionally seen only through one NetFlow provider ('' = any). */
export interface AggregatorIpGroup {
  readonly slinkId: number;
  readonly accountId: number;
  readonly ip: string;
  readonly mask: number;
  readonly providerIp: string;
}

/** Bytes of one class for one address of one service link in one interval (field names as on the wire). */
export interface TrafficAggregate {
  /** Service link id. */
  s: number;
  /** Account id. */
  a: number;
  /** Traffic class id. */
  c: number;
  /** The accounted address (the link's side of the flow). */
  ip: string;
  /** Interval start, unix seconds. */
  t: number;
  /** Bytes. */
  b: number;
  /** Packets. */
  p: number;
}

/** Evaluates a class's time range at a unix time in ms (the caller owns time zones). */
export type RangeCheck<R> = (r: R, unixMs: number) => boolean;

export interface AggregatorCounters {
  /** Flows offered. */
  flows: number;
  /** Flows given a class other than 0. */
  classified: number;
  /** Flows added to an aggregate of some service link. */
  aggregated: number;
  /** Flows whose addresses belong to no IP group (nobody to charge). */
  unaccounted: number;
}

/** Where one flow went: its class and the link(s) it was counted to (for the raw detail files). */
export interface FlowAccounting {
  tclass: number;
  dontSave: boolean;
  accountId: number;
  slinkId: number;
}

interface GroupRef {
  readonly item: AggregatorIpGroup;
  readonly bits: number;
  readonly provider: Uint8Array | undefined;
}

/**
 * The traffic pipeline after decoding: classify a flow, find the service link whose IP group holds its receiving or
 * sending address (longest prefix wins; a group tied to a NetFlow provider only matches flows from that provider;
 * local traffic follows the class's policy), and add its bytes to the aggregate of (link, class, address, interval).
 * drain() hands out the aggregates as Stream 'traffic' records.
 */
export class TrafficAggregator<R> {
  private classifier = new TrafficClassifier([]);
  private classInfo = new Map<number, AggregatorClass<R>>();
  private groups = { 4: new PrefixTrie<GroupRef>(), 16: new PrefixTrie<GroupRef>() };
  private readonly buckets = new Map<string, TrafficAggregate>();
  readonly counters: AggregatorCounters = { flows: 0, classified: 0, aggregated: 0, unaccounted: 0 };

  constructor(private readonly o: { intervalSeconds: number; multiplierE6?: number; inRange: RangeCheck<R> }) {}

  /** Replaces the class definitions; a class that does not compile is skipped and reported by the returned errors. */
  setClasses(items: readonly AggregatorClass<R>[]): Error[] {
    const errors: Error[] = [];
    const defs: TrafficClassDef[] = [];
    for (const c of items) {
      const range = c.timeRange;
      const def: TrafficClassDef = {
        id: c.id,
        name: c.name,
        subclasses: c.subclasses,
        ...(range ? { inTime: (ms: number) => this.o.inRange(range, ms) } : {}),
      };
      try {
        new TrafficClassifier([def]);
        defs.push(def);
      } catch (err) {
        errors.push(err as Error);
      }
    }
    this.classifier = new TrafficClassifier(defs);
    this.classInfo = new Map(items.map((c) => [c.id, c]));
    return errors;
  }

  setIpGroups(items: readonly AggregatorIpGroup[]): number {
    const next = { 4: new PrefixTrie<GroupRef>(), 16: new PrefixTrie<GroupRef>() };
    let bad = 0;
    for (const g of items) {
      const p = parsePrefix(`${g.ip}/${g.mask}`);
      if (!p) {
        bad++;
        continue;
      }
      const provider = g.providerIp ? parseAddress(g.providerIp) : undefined;
      next[p.bytes.length as 4 | 16].insert(p, { item: g, bits: p.bits, provider });
    }
    this.groups = next;
    return bad;
  }

  set multiplierE6(m: number) {
    (this.o as { multiplierE6?: number }).multiplierE6 = m;
  }

  private readonly providerCache = new Map<string, Uint8Array | undefined>();

  /** Exporters are few: their parsed addresses are kept. */
  private providerBytes(provider: string): Uint8Array | undefined {
    if (this.providerCache.has(provider)) return this.providerCache.get(provider);
    const b = parseAddress(provider);
    if (this.providerCache.size > 10_000) this.providerCache.clear();
    this.providerCache.set(provider, b);
    return b;
  }

  private lookup(addr: Uint8Array, provider: Uint8Array | undefined): AggregatorIpGroup | undefined {
    let best: GroupRef | undefined;
    this.groups[addr.length as 4 | 16].forEachMatch(addr, (g) => {
      if (g.provider && (!provider || !sameBytes(g.provider, provider))) return;
      // Longest prefix wins; among equal prefixes a provider-bound group beats an unbound one.
      if (!best || g.bits > best.bits || (g.bits === best.bits && g.provider && !best.provider)) best = g;
    });
    return best?.item;
  }

  /** Counts one flow; returns where it went, or undefined when its addresses are unusable. */
  add(f: FlowRecord, provider: string): FlowAccounting | undefined {
    this.counters.flows++;
    const src = parseAddress(f.srcAddr);
    const dst = parseAddress(f.dstAddr);
    if (!src || !dst || src.length !== dst.length) return undefined;
    const tclass = this.classifier.classifyParsed(f, src, dst, provider);
    if (tclass !== 0) this.counters.classified++;
    const info = this.classInfo.get(tclass);
    const prov = this.providerBytes(provider);
    const to = this.lookup(dst, prov);
    const from = this.lookup(src, prov);
    const out: FlowAccounting = { tclass, dontSave: info?.dontSave ?? false, accountId: 0, slinkId: 0 };
    if (!to && !from) {
      this.counters.unaccounted++;
      return out;
    }
    const m = this.o.multiplierE6 ?? 1_000_000;
    const bytes = m === 1_000_000 ? f.bytes : Math.round((f.bytes * m) / 1_000_000);
    const t = Math.floor(f.end / 1000 / this.o.intervalSeconds) * this.o.intervalSeconds;
    const policy = info?.localPolicy ?? LocalPolicy.RECEIVER;
    let first: AggregatorIpGroup;
    if (to && from) {
      // Local traffic: both ends are links; the class's policy says whose it is.
      first = policy === LocalPolicy.SENDER ? from : to;
      if (policy !== LocalPolicy.SENDER) this.bucket(to, f.dstAddr, tclass, t, bytes, f.packets);
      if (policy !== LocalPolicy.RECEIVER) this.bucket(from, f.srcAddr, tclass, t, bytes, f.packets);
    } else if (to) {
      first = to;
      this.bucket(to, f.dstAddr, tclass, t, bytes, f.packets);
    } else {
      first = from!;
      this.bucket(first, f.srcAddr, tclass, t, bytes, f.packets);
    }
    this.counters.aggregated++;
    out.accountId = first.accountId;
    out.slinkId = first.slinkId;
    return out;
  }

  private bucket(g: AggregatorIpGroup, ip: string, tclass: number, t: number, bytes: number, packets: number): void {
    const key = `${g.slinkId}|${tclass}|${ip}|${t}`;
    const b = this.buckets.get(key);
    if (b) {
      b.b += bytes;
      b.p += packets;
    } else this.buckets.set(key, { s: g.slinkId, a: g.accountId, c: tclass, ip, t, b: bytes, p: packets });
  }

  /** Aggregates waiting to be sent. */
  get pending(): number {
    return this.buckets.size;
  }

  /** Takes up to `limit` aggregates out (all by default), oldest interval first. */
  drain(limit = Infinity): TrafficAggregate[] {
    const out: TrafficAggregate[] = [];
    for (const [k, v] of this.buckets) {
      if (out.length >= limit) break;
      out.push(v);
      this.buckets.delete(k);
    }
    return out;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
