import type { Logger } from '@utm5/common';
import type { Knex } from '@utm5/db';
import {
  STATS_INTERVAL_SECONDS,
  TrafficAggregator,
  emptyFlow,
  type AggregatorCounters,
  type FlowRecord,
  type RangeCheck,
} from '@utm5/netflow';
import type { IpGroupItem, TclassItem, TimeRangeWire } from '@utm5/protocol';
import type { IngestResult, TrafficBilling } from './billing';

/** traffic_stats.collector_id of traffic billed from RADIUS accounting: no traffic collector sent it. */
export const ACCOUNTING_COLLECTOR_ID = 0;

/** The traffic one billed Accounting-Request adds to its session: the growth of the counters since the last billed one. */
export interface AccountingTrafficRecord {
  /** The NAS's address: the other end of both directions, and the exporter for classes and IP groups bound to one. */
  readonly nas: string;
  /** The session's Framed-IP-Address. */
  readonly ip: string;
  /** Unix seconds: the time the classes' time ranges are evaluated at and the statistics interval is taken from. */
  readonly time: number;
  /** Acct-Input-Octets (+ gigawords) growth: the manual's first record, from the NAS to the user's address. */
  readonly toUser: number;
  /** Acct-Output-Octets (+ gigawords) growth: the second record, from the user's address to the NAS. */
  readonly fromUser: number;
}

export interface AccountingTrafficCounters extends AggregatorCounters {
  /** Flows whose addresses are not IP addresses or mix IPv4 and IPv6: dropped. */
  unusable: number;
}

/**
 * IP traffic billed from RADIUS accounting (radius_do_accounting / radius_do_interim_accounting). Each billed request
 * becomes the manual's two traffic records, which go the way NetFlow flows go in the core's built-in NetFlow buffer:
 * classified and matched to an IP group by the same aggregator (kept in step with the traffic classes and IP groups
 * the core publishes to collectors), then priced by TrafficBilling inside the caller's transaction. Records whose
 * user address is in no IP group of an IP traffic link are counted as unaccounted and dropped, as flows are.
 */
export class AccountingTraffic {
  private readonly aggregator: TrafficAggregator<TimeRangeWire>;
  private unusable = 0;

  constructor(
    private readonly billing: TrafficBilling,
    private readonly log: Logger,
    inRange: RangeCheck<TimeRangeWire>,
  ) {
    this.aggregator = new TrafficAggregator({ intervalSeconds: STATS_INTERVAL_SECONDS, inRange });
  }

  get counters(): AccountingTrafficCounters {
    return { ...this.aggregator.counters, unusable: this.unusable };
  }

  /** The traffic classes or IP groups changed. */
  apply(t: { readonly tclasses: readonly TclassItem[]; readonly ip_groups: readonly IpGroupItem[] }): void {
    // A class that does not compile is reported by the NetFlow receivers that load the same list; here it is skipped.
    for (const e of this.aggregator.setClasses(t.tclasses))
      this.log.debug(`RADIUS accounting traffic: traffic class skipped: ${e.message}`);
    this.aggregator.setIpGroups(t.ip_groups);
  }

  /** Classifies the records and prices them inside `trx` (the transaction that commits the session events). */
  async bill(trx: Knex.Transaction, records: readonly AccountingTrafficRecord[], now: number): Promise<IngestResult> {
    const before = this.counters;
    for (const r of records) {
      for (const [src, dst, bytes] of [
        [r.nas, r.ip, r.toUser],
        [r.ip, r.nas, r.fromUser],
      ] as const) {
        if (bytes > 0 && !this.aggregator.add(flow(src, dst, bytes, r.time), r.nas)) this.unusable++;
      }
    }
    // Taken out before the first await: the aggregator is shared, and another batch may be billed meanwhile.
    const items = this.aggregator.drain();
    const after = this.counters;
    const dropped = after.unusable - before.unusable + after.unaccounted - before.unaccounted;
    if (dropped > 0)
      this.log.debug(
        `RADIUS accounting traffic: ${dropped} record(s) dropped (no IP group of an IP traffic link holds the address, or not an address)`,
      );
    if (items.length === 0) return { accepted: 0, dropped };
    const r = await this.billing.ingest(trx, items, ACCOUNTING_COLLECTOR_ID, now);
    return { accepted: r.accepted, dropped: r.dropped + dropped };
  }
}

function flow(src: string, dst: string, bytes: number, time: number): FlowRecord {
  return {
    ...emptyFlow(),
    ipVersion: src.includes(':') ? 6 : 4,
    srcAddr: src,
    dstAddr: dst,
    bytes,
    start: time * 1000,
    end: time * 1000,
  };
}
