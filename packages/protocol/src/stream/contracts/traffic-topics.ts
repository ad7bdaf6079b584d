/**
 * What the core publishes to traffic collectors over Stream, and what collectors send back, declared once here where
 * both sides (utm5_core's built-in NetFlow buffer and utm5_traffic_collector) import it. @utm5/netflow's aggregator,
 * which may import only node:*, declares the fields it reads of these (AggregatorClass, AggregatorIpGroup,
 * TrafficAggregate); the compiler checks that these items fit them where a program hands one to the other.
 */

/** A time range as the core stores it; evaluated by the receiver in the billing time zone `tz`. */
export interface TimeRangeWire {
  readonly tz: string;
  readonly entries: readonly {
    wdayStart: number;
    hourStart: number;
    minStart: number;
    secStart: number;
    wdayStop: number;
    hourStop: number;
    minStop: number;
    secStop: number;
  }[];
  readonly days: readonly { mday: number; month: number }[];
}

/** Local traffic (both ends are accounted addresses) goes to the receiver, the sender or both (the manual). */
export const LocalPolicy = { RECEIVER: 0, SENDER: 1, BOTH: 2 } as const;
export type LocalPolicy = (typeof LocalPolicy)[keyof typeof LocalPolicy];

/** One side of a subclass: a network (mandatory) and optional port, interface and AS (undefined = any). */
export interface SubclassSideWire {
  readonly net: string;
  readonly port?: number;
  readonly ifIndex?: number;
  readonly as?: number;
}

/** One subclass of a traffic class, as the manual's traffic class editor has it. */
export interface SubclassWire {
  readonly src: SubclassSideWire;
  readonly dst: SubclassSideWire;
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

/** Topic 'tclasses': one item per traffic class. */
export interface TclassItem {
  readonly id: number;
  readonly name: string;
  readonly dontSave: boolean;
  readonly localPolicy: LocalPolicy;
  readonly timeRange: TimeRangeWire | null;
  readonly subclasses: readonly SubclassWire[];
}

/** Topic 'ip_groups': one item per address/network of an IP traffic service link. */
export interface IpGroupItem {
  readonly id: number;
  readonly slinkId: number;
  readonly accountId: number;
  readonly ip: string;
  readonly mask: number;
  /** The NetFlow provider's address this group is seen through ('' = any): for overlapping address spaces. */
  readonly providerIp: string;
}

/** Topic 'traffic_collectors': the properties of each registered collector (the manual's Traffic collectors page). */
export interface CollectorItem {
  readonly id: number;
  readonly name: string;
  readonly rawPath: string;
  readonly rawScript: string;
  readonly rawMaxSize: number;
  readonly rawMaxCount: number;
  readonly sendLimit: number;
  readonly bufferSize: number;
  readonly commitInterval: number;
  readonly multiplierE6: number;
  /** Addresses of the NetFlow providers assigned to this collector; empty = accept every exporter. */
  readonly providers: readonly string[];
}

/** Record kind 'traffic': bytes of one class for one address of one service link in one interval. */
export interface TrafficItem {
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

export const TOPIC = { TCLASSES: 'tclasses', IP_GROUPS: 'ip_groups', COLLECTORS: 'traffic_collectors' } as const;
export const TRAFFIC_RECORD_KIND = 'traffic';
