import type { FlowRecord } from '../flow';
import { parseAddress } from '@utm5/inet';
import { PrefixTrie, contains, parsePrefix, type Prefix } from './prefix';

/** One side of a subclass: a network (mandatory) and optional port, interface and AS (undefined = any). */
export interface SubclassSide {
  readonly net: string;
  readonly port?: number;
  readonly ifIndex?: number;
  readonly as?: number;
}

export interface SubclassDef {
  readonly src: SubclassSide;
  readonly dst: SubclassDef['src'];
  readonly protocol?: number;
  /** Next router: an address or a network. */
  readonly nextHop?: string;
  readonly tos?: number;
  /** The flow must carry all of these TCP flag bits. */
  readonly tcpFlags?: number;
  /** The NetFlow provider's (router's) address; undefined = any provider. */
  readonly provider?: string;
  /** A match means "not this class" (the manual's Skip). */
  readonly skip?: boolean;
}

export interface TrafficClassDef {
  readonly id: number;
  readonly name?: string;
  readonly subclasses: readonly SubclassDef[];
  /** The class's time range: the class acts only when this says the flow's time is in it. */
  readonly inTime?: (unixMs: number) => boolean;
}

/** A traffic class definition the classifier cannot use, with where and why. */
export class ClassDefinitionError extends Error {
  constructor(
    readonly classId: number,
    readonly subclass: number,
    message: string,
  ) {
    super(`traffic class ${classId}, subclass ${subclass + 1}: ${message}`);
    this.name = 'ClassDefinitionError';
  }
}

interface Compiled {
  readonly classIndex: number;
  readonly skip: boolean;
  readonly dst: Prefix;
  readonly def: SubclassDef;
  readonly nextHop?: Prefix;
  readonly provider?: Uint8Array;
}

/**
 * Traffic classification as the manual defines it: classes are tried in decreasing id order and the first that
 * matches wins, 0 (unclassified) when none does; a class matches a flow when one of its subclasses does, none of
 * its Skip subclasses does, and its time range (if any) holds. Subclasses are compiled into a two-level prefix trie
 * (source network, then destination network), so a lookup walks at most two address lengths of nodes and then checks
 * only the subclasses whose both networks contain the flow's addresses, however many thousands there are.
 */
export class TrafficClassifier {
  // One trie per address family: a /0 prefix must not match the other family.
  private readonly bySrc = { 4: new PrefixTrie<PrefixTrie<Compiled>>(), 16: new PrefixTrie<PrefixTrie<Compiled>>() };
  private readonly srcTries = new Map<string, PrefixTrie<Compiled>>();
  private readonly classes: TrafficClassDef[];

  constructor(defs: readonly TrafficClassDef[]) {
    this.classes = [...defs].sort((a, b) => b.id - a.id);
    this.classes.forEach((c, ci) => c.subclasses.forEach((s, si) => this.add(c, ci, s, si)));
  }

  private add(c: TrafficClassDef, classIndex: number, s: SubclassDef, si: number): void {
    const src = parsePrefix(s.src.net);
    const dst = parsePrefix(s.dst.net);
    if (!src)
      throw new ClassDefinitionError(c.id, si, `source network '${s.src.net}' is not an address or address/prefix`);
    if (!dst)
      throw new ClassDefinitionError(
        c.id,
        si,
        `destination network '${s.dst.net}' is not an address or address/prefix`,
      );
    if (src.bytes.length !== dst.bytes.length)
      throw new ClassDefinitionError(c.id, si, 'source and destination must both be IPv4 or both IPv6');
    const nextHop = s.nextHop ? parsePrefix(s.nextHop) : undefined;
    if (s.nextHop && !nextHop) throw new ClassDefinitionError(c.id, si, `next router '${s.nextHop}' is not an address`);
    const provider = s.provider ? parseAddress(s.provider) : undefined;
    if (s.provider && !provider)
      throw new ClassDefinitionError(c.id, si, `NetFlow provider '${s.provider}' is not an address`);
    const key = `${Array.from(src.bytes).join('.')}/${src.bits}`;
    let inner = this.srcTries.get(key);
    if (!inner) {
      inner = new PrefixTrie<Compiled>();
      this.srcTries.set(key, inner);
      this.bySrc[src.bytes.length as 4 | 16].insert(src, inner);
    }
    inner.insert(dst, { classIndex, skip: s.skip ?? false, dst, def: s, nextHop, provider });
  }

  /** The class id of a flow exported by `provider` (the router's address as text), 0 when none matches. */
  classify(f: FlowRecord, provider: string): number {
    const src = parseAddress(f.srcAddr);
    const dst = parseAddress(f.dstAddr);
    if (!src || !dst) return 0;
    return this.classifyParsed(f, src, dst, provider);
  }

  /** classify() for a caller that has already parsed the flow's addresses (the aggregator needs them too). */
  classifyParsed(f: FlowRecord, src: Uint8Array, dst: Uint8Array, provider: string): number {
    let prov: Uint8Array | undefined;
    let hop: Uint8Array | undefined;
    // Per class index: 1 = a subclass matched, 2 = a Skip subclass matched (final).
    const state = new Map<number, number>();
    const check = (s: Compiled) => {
      if (state.get(s.classIndex) === 2) return;
      const d = s.def;
      if (d.src.port !== undefined && d.src.port !== f.srcPort) return;
      if (d.dst.port !== undefined && d.dst.port !== f.dstPort) return;
      if (d.src.ifIndex !== undefined && d.src.ifIndex !== f.inIf) return;
      if (d.dst.ifIndex !== undefined && d.dst.ifIndex !== f.outIf) return;
      if (d.src.as !== undefined && d.src.as !== f.srcAs) return;
      if (d.dst.as !== undefined && d.dst.as !== f.dstAs) return;
      if (d.protocol !== undefined && d.protocol !== f.protocol) return;
      if (d.tos !== undefined && d.tos !== f.tos) return;
      if (d.tcpFlags !== undefined && (f.tcpFlags & d.tcpFlags) !== d.tcpFlags) return;
      if (s.nextHop) {
        hop ??= parseAddress(f.nextHop) ?? new Uint8Array(0);
        if (!contains(s.nextHop, hop)) return;
      }
      if (s.provider) {
        prov ??= parseAddress(provider) ?? new Uint8Array(0);
        if (!equalBytes(s.provider, prov)) return;
      }
      state.set(s.classIndex, s.skip ? 2 : 1);
    };
    if (src.length !== dst.length) return 0;
    this.bySrc[src.length as 4 | 16].forEachMatch(src, (inner) => inner.forEachMatch(dst, check));
    // Classes are sorted by decreasing id: the lowest index that matched and was not skipped wins.
    let best = -1;
    for (const [ci, st] of state) {
      if (st !== 1 || (best >= 0 && ci > best)) continue;
      const c = this.classes[ci]!;
      if (c.inTime && !c.inTime(f.end)) continue; // the time the flow came in
      best = ci;
    }
    return best >= 0 ? this.classes[best]!.id : 0;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
