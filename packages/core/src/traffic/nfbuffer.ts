import { errorLine, type Logger, type Service } from '@utm5/common';
import { NetflowReceiver, type RangeCheck } from '@utm5/netflow';
import type { CollectorItem, IpGroupItem, TclassItem, TimeRangeWire } from '@utm5/protocol';
import type { Database } from '@utm5/db';
import type { TrafficBilling } from './billing';
import { SYSTEM_COLLECTOR } from './catalog';

export interface NfBufferOptions {
  readonly host: string;
  readonly port: number;
  readonly bufsize: number | undefined;
  readonly inRange: RangeCheck<TimeRangeWire>;
  /** The core's clock in ms when it is the test clock (flows are dated by it), else undefined. */
  readonly testNowMs: (() => number) | undefined;
}

/**
 * The core's built-in NetFlow buffer (nfbuffer_*): the same receiver as utm5_traffic_collector, with the aggregates
 * priced straight into the database every commit interval of the System traffic collector, and on stop.
 */
export class NfBuffer implements Service {
  readonly name = 'nfbuffer';
  private readonly receiver: NetflowReceiver<TimeRangeWire>;
  private timer: NodeJS.Timeout | undefined;
  private interval = 0;
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly billing: TrafficBilling,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly o: NfBufferOptions,
  ) {
    this.receiver = new NetflowReceiver({
      host: o.host,
      port: o.port,
      bufsize: o.bufsize,
      templateTimeoutSec: 1800,
      inRange: o.inRange,
      onFull: () => void this.commit(),
      onSocketError: (err) => log.error(`NetFlow socket: ${err.message}`),
    });
    if (o.testNowMs) this.receiver.flowTimeMs = o.testNowMs;
  }

  get counters() {
    return { ...this.receiver.counters, ...this.receiver.aggregator.counters };
  }

  /** The traffic topics changed: classes, IP groups, and the System collector's properties. */
  apply(t: { tclasses: TclassItem[]; ip_groups: IpGroupItem[]; traffic_collectors: CollectorItem[] }): void {
    const agg = this.receiver.aggregator;
    for (const e of agg.setClasses(t.tclasses)) this.log.error(`traffic class skipped: ${e.message}`);
    agg.setIpGroups(t.ip_groups);
    const me = t.traffic_collectors.find((c) => c.id === SYSTEM_COLLECTOR);
    if (!me) return;
    agg.multiplierE6 = me.multiplierE6;
    this.receiver.providers = new Set(me.providers);
    this.receiver.bufferSize = Math.max(1, me.bufferSize);
    if (me.commitInterval !== this.interval) {
      this.interval = me.commitInterval;
      if (this.timer) clearInterval(this.timer);
      this.timer = setInterval(() => void this.commit(), this.interval * 1000);
    }
  }

  async start(): Promise<void> {
    const granted = await this.receiver.listen();
    this.log.notice(
      `built-in NetFlow buffer listening on ${this.o.host}:${this.o.port} (receive buffer ${granted} bytes)`,
    );
  }

  /** Prices what is aggregated; commits run one at a time, in order. */
  commit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const items = this.receiver.aggregator.drain();
      if (items.length === 0) return;
      try {
        await this.db.tx((trx) => this.billing.ingest(trx, items, SYSTEM_COLLECTOR, this.now()));
      } catch (err) {
        this.log.error(
          `built-in NetFlow buffer: ${items.length} aggregate(s) could not be committed: ${errorLine(err)}`,
        );
      }
    });
    return this.committing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.receiver.close();
    await this.commit();
  }
}
