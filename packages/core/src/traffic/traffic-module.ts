import { inRange, type Clock, type Logger, type Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { Actor } from '../billing/audit';
import type { Billing } from '../billing/billing';
import type { Scheduler } from '../scheduler/scheduler';
import type { StreamHub } from '../stream/stream-hub';
import type { LinkHook, NewPeriodicLink, Tariffication } from '../tariffication/engine';
import type { IpGroupDef } from './catalog';
import { TOPIC, TRAFFIC_RECORD_KIND, type CollectorItem, type IpGroupItem, type TclassItem } from '@utm5/protocol';
import { AccountingTraffic } from './accounting-traffic';
import { TrafficBilling } from './billing';
import { TrafficCatalog } from './catalog';
import { NfBuffer } from './nfbuffer';

type TopicName = (typeof TOPIC)[keyof typeof TOPIC];

export interface TrafficModuleDeps {
  readonly db: Database;
  readonly billing: Billing;
  readonly tariffication: Pick<Tariffication, 'charger' | 'addPeriodicLink'>;
  readonly scheduler: Pick<Scheduler, 'register'>;
  readonly stream: Pick<StreamHub, 'topic' | 'recordKind' | 'republish' | 'onlineSenders'>;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
  readonly param: (name: string) => string | undefined;
  /** The built-in NetFlow buffer's settings, when nfbuffer_enable is set. */
  readonly nfbuffer:
    | { readonly host: string; readonly port: number; readonly bufsize: number | undefined; readonly log: Logger }
    | undefined;
}

/**
 * Wires IP traffic into the core: the catalog and the billing, the hooks on link life, the Stream topics collectors
 * subscribe to (classes, IP groups, collector properties; kept in memory and sent whole on every change), the
 * 'traffic' record kind, the traffic_charger system service and the SIGHUP charge.
 */
export class TrafficModule implements Service {
  readonly name = 'traffic';
  readonly catalog: TrafficCatalog;
  readonly billing: TrafficBilling;
  private readonly cache: { tclasses: TclassItem[]; ip_groups: IpGroupItem[]; traffic_collectors: CollectorItem[] } = {
    tclasses: [],
    ip_groups: [],
    traffic_collectors: [],
  };
  private refreshing = new Map<TopicName, Promise<void>>();
  private again = new Set<TopicName>();
  private timers = new Map<TopicName, NodeJS.Timeout>();
  /** The built-in NetFlow buffer, when nfbuffer_enable is set. */
  readonly nfbuffer: NfBuffer | undefined;
  /** Traffic billed from RADIUS accounting (the radius module hands it the records). */
  readonly accounting: AccountingTraffic;

  /** What tariffication tells traffic of link life (the composition root adds them to its hooks). */
  readonly linkHooks: readonly LinkHook[];

  /** Whether a traffic collector of this name (its tc_name) is linked to the core now. */
  collectorOnline(name: string): boolean {
    return this.d.stream.onlineSenders().has(name);
  }

  constructor(private readonly d: TrafficModuleDeps) {
    const clock = d.clock;
    this.catalog = new TrafficCatalog(d.db, (topic) => this.changed(topic));
    this.billing = new TrafficBilling(d.db, d.billing, d.tariffication.charger, this.catalog, clock, d.log, d.param);
    this.accounting = new AccountingTraffic(this.billing, d.log, (r, ms) => TrafficModule.inRange(r, ms));
    const nb = d.nfbuffer;
    if (nb) {
      this.nfbuffer = new NfBuffer(d.db, this.billing, () => clock.now(), nb.log, {
        host: nb.host,
        port: nb.port,
        bufsize: nb.bufsize,
        inRange: (r, ms) => TrafficModule.inRange(r, ms),
        testNowMs: clock.kind === 'test' ? () => clock.now() * 1000 : undefined,
      });
    }
    this.linkHooks = [this.billing, { removed: async () => this.changed(TOPIC.IP_GROUPS) }];
    d.scheduler.register({
      name: 'traffic_charger',
      title: 'Charge IP traffic accrued longer ago than traffic_aggregation_timeout and not charged yet',
      // Every 15 minutes (the default timeout): traffic past the timeout is charged within one more sweep, and a
      // month on the test clock (which runs every occurrence of every service) stays cheap.
      schedule: { kind: 'periodic', periodMin: 15, alignMin: 2 },
      enabled: true,
      runGroups: ['tariffication'],
      run: async () => `${await this.billing.chargeDue(false)} service link(s) charged`,
    });
  }

  /** Links an IP traffic service with its IP groups (rpcf_add_iptraffic_service_link_ipv6). */
  async addLink(actor: Actor, l: NewPeriodicLink, groups: readonly IpGroupDef[]): Promise<number> {
    const id = await this.d.tariffication.addPeriodicLink(actor, l, async (trx, slinkId) => {
      const svc = await trx('services').where({ id: l.serviceId }).first('service_type');
      if (Number(svc?.service_type) !== 3) throw new Error(`service ${l.serviceId} is not an IP traffic service`);
      await this.catalog.setIpGroups(trx, slinkId, groups);
    });
    this.changed(TOPIC.IP_GROUPS);
    return id;
  }

  async stop(): Promise<void> {
    // Pending republishes have nobody to go to once the core stops.
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.settled();
    await this.nfbuffer?.stop();
  }

  async start(): Promise<void> {
    for (const t of Object.values(TOPIC)) await this.refresh(t);
    this.accounting.apply(this.cache);
    if (this.nfbuffer) {
      this.nfbuffer.apply(this.cache);
      await this.nfbuffer.start();
    }
    const hub = this.d.stream;
    hub.topic(TOPIC.TCLASSES, () => this.cache.tclasses);
    hub.topic(TOPIC.IP_GROUPS, () => this.cache.ip_groups);
    hub.topic(TOPIC.COLLECTORS, () => this.cache.traffic_collectors);
    hub.recordKind(TRAFFIC_RECORD_KIND, async (trx, _from, items, now, sender) => {
      const collector = this.cache.traffic_collectors.find((c) => c.name === sender)?.id ?? 0;
      await this.billing.ingest(trx, items, collector, now);
    });
  }

  /** SIGHUP: what the NetFlow buffer holds is committed and every link's accrued traffic charged now. */
  async hup(): Promise<void> {
    await this.nfbuffer?.commit();
    const n = await this.billing.chargeDue(true);
    this.d.log.notice(`SIGHUP: IP traffic charged on ${n} service link(s)`);
  }

  /**
   * Reloads a topic from the database and republishes it, shortly after the change (so the change's transaction has
   * committed, and a burst of changes costs one reload); changes during a reload trigger one more.
   */
  changed(topic: TopicName): void {
    this.billing.forgetPlans();
    if (this.timers.has(topic)) return;
    this.timers.set(
      topic,
      setTimeout(() => {
        this.timers.delete(topic);
        this.reload(topic);
      }, 50),
    );
  }

  private reload(topic: TopicName): void {
    if (this.refreshing.has(topic)) {
      this.again.add(topic);
      return;
    }
    const job = this.refresh(topic)
      .then(() => {
        this.d.stream.republish(topic);
        this.nfbuffer?.apply(this.cache);
        this.accounting.apply(this.cache);
      })
      .catch((err) => this.d.log.error(`cannot reload ${topic} for collectors: ${(err as Error).message}`))
      .finally(() => {
        this.refreshing.delete(topic);
        if (this.again.delete(topic)) this.reload(topic);
      });
    this.refreshing.set(topic, job);
  }

  /** Resolves when every pending topic reload has been published (tests and the test case wait on it). */
  async settled(): Promise<void> {
    while (this.refreshing.size > 0 || this.timers.size > 0) {
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all(this.refreshing.values());
    }
  }

  private async refresh(topic: TopicName): Promise<void> {
    if (topic === TOPIC.TCLASSES) this.cache.tclasses = await this.catalog.tclassItems(this.d.timezone);
    else if (topic === TOPIC.IP_GROUPS) this.cache.ip_groups = await this.catalog.ipGroupItems();
    else this.cache.traffic_collectors = await this.catalog.collectorItems();
  }

  /** The receivers' time-range check: the class's range in the billing time zone at the flow's time. */
  static inRange(r: TclassItem['timeRange'] & object, unixMs: number): boolean {
    return inRange({ id: 0, name: '', priority: 0, entries: r.entries, days: r.days }, Math.floor(unixMs / 1000), r.tz);
  }
}
