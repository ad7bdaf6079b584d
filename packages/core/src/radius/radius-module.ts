import type { Clock, Logger, SecretBox, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import {
  RADIUS_CALL,
  RADIUS_SESSION_KIND,
  RADIUS_TOPIC,
  type AccountWire,
  type LimitWire,
  type LoginWire,
  type NasWire,
  type PoolWire,
  type PriceWire,
} from '@utm5/protocol';
import type { Actor } from '../billing/audit';
import type { Billing } from '../billing/billing';
import type { EventSink } from '../events/event-sink';
import type { StreamHub } from '../stream/stream-hub';
import type { NewPeriodicLink, Tariffication } from '../tariffication/engine';
import { serviceTypeName } from '../tariffication/model';
import type { AccountingTraffic } from '../traffic/accounting-traffic';
import { CardAutoAdd } from './card-autoadd';
import { RadiusCatalog, type DialupLinkDef } from './catalog';
import { IpPoolCatalog } from './ip-pools';
import { SessionCommands } from './session-commands';
import { RadiusSessions } from './sessions';
import { RadiusSessionRepo } from './session-repo';
import { keyedChanges } from './topic-changes';
import type { TimePrice } from '@utm5/common';

type Cache = {
  nas: NasWire[];
  logins: LoginWire[];
  accounts: AccountWire[];
  limits: LimitWire[];
  prices: PriceWire[];
  pools: PoolWire[];
};
type TopicName = (typeof RADIUS_TOPIC)[keyof typeof RADIUS_TOPIC];

/** The topics sent item by item when they change (by these keys); the others are small and go whole. */
const KEYED = {
  [RADIUS_TOPIC.LOGINS]: { items: (c: Cache) => c.logins, key: (l: LoginWire) => l.login },
  [RADIUS_TOPIC.ACCOUNTS]: { items: (c: Cache) => c.accounts, key: (a: AccountWire) => String(a.id) },
} as const;
const WHOLE: Record<string, (c: Cache) => unknown[]> = {
  [RADIUS_TOPIC.NAS]: (c) => c.nas,
  [RADIUS_TOPIC.LIMITS]: (c) => c.limits,
  [RADIUS_TOPIC.PRICES]: (c) => c.prices,
  [RADIUS_TOPIC.POOLS]: (c) => c.pools,
};

export interface RadiusModuleDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly billing: Pick<Billing, 'cards'>;
  readonly tariffication: Pick<Tariffication, 'charger' | 'catalog' | 'addPeriodicLink'>;
  readonly stream: StreamHub;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
  /** Traffic billed from RADIUS accounting. */
  readonly accountingTraffic: AccountingTraffic;
  /** Dynamic addresses became IP groups: the collectors must learn them (after the commit). */
  readonly ipGroupsChanged: () => void;
  /** The billing events (sessions open and close, dynamic addresses bound to IP traffic links). */
  readonly events?: EventSink;
}

/** How often account state (balance, blocks) is re-read for utm5_radius; it is republished only when it changed. */
const ACCOUNTS_REFRESH_MS = 5000;

/**
 * Wires RADIUS into the core: the catalog, the topics utm5_radius subscribes to (kept in memory; logins and accounts
 * sent as events for what changed, the small ones whole), and the 'radius_session' record kind with dial-up/hotspot
 * time charging.
 */
export class RadiusModule implements Service {
  readonly name = 'radius';
  readonly catalog: RadiusCatalog;
  readonly pools: IpPoolCatalog;
  readonly sessions: RadiusSessions;
  /** What the URFA functions read of the sessions. */
  readonly sessionRepo: RadiusSessionRepo;
  /** Card users registered at their first Access-Request (radius_card_autoadd in utm5_radius). */
  readonly cards: CardAutoAdd;
  /** Disconnect and drop of sessions (URFA), carried out through utm5_radius. */
  readonly commands: SessionCommands;
  private cache: Cache = { nas: [], logins: [], accounts: [], limits: [], prices: [], pools: [] };
  /** What was last sent of each topic: per item for the keyed ones, whole for the others. */
  private sent = new Map<TopicName, Map<string, string>>();
  private dynamicServices = new Set<number>();
  private linkServices = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly d: RadiusModuleDeps) {
    const log = d.log;
    this.catalog = new RadiusCatalog(d.db, d.secrets, () => this.changed());
    this.pools = new IpPoolCatalog(d.db, () => this.changed());
    this.sessionRepo = new RadiusSessionRepo(d.db);
    this.sessions = new RadiusSessions(
      d.tariffication.charger,
      (id) => this.pricesOf(id),
      log,
      d.accountingTraffic,
      (slinkId) => this.linkIsDynamic(slinkId),
      d.events,
    );
    this.cards = new CardAutoAdd({
      db: d.db,
      cards: d.billing.cards,
      catalog: this.catalog,
      tariffServices: (id) => d.tariffication.catalog.tariffServices(id),
      log,
      events: d.events && { sink: d.events, now: () => d.clock.now() },
      publish: async () => {
        this.changed();
        await this.settled();
      },
    });
    this.commands = new SessionCommands({
      db: d.db,
      hub: () => d.stream,
      sessions: this.sessions,
      now: () => d.clock.now(),
      log,
    });
  }

  /**
   * Links a dial-up or hotspot service (`type`) with its login (rpcf_add_dialup_service_link_ex,
   * rpcf_add_hotspot_slink_ex), in the link's transaction: a refused login leaves no link.
   */
  async addTimeLink(actor: Actor, l: NewPeriodicLink, type: number, login: DialupLinkDef): Promise<number> {
    const t = this.d.tariffication;
    return t.addPeriodicLink(actor, l, async (trx, slinkId) => {
      const svc = await t.catalog.service(l.serviceId, trx);
      if (svc?.type !== type) throw new Error(`service ${l.serviceId} is not a ${serviceTypeName(type)} service`);
      await this.catalog.addTimeLink(trx, slinkId, l.accountId, l.serviceId, login);
    });
  }

  private pricesOf(serviceId: number): { prices: TimePrice[]; tz: string } {
    const p = this.cache.prices.find((x) => x.serviceId === serviceId);
    return {
      tz: p?.tz ?? this.d.timezone,
      prices: (p?.ranges ?? []).map((r, i) => ({
        pricePerHour: r.pricePerHour,
        range: { id: i, name: '', priority: r.priority, entries: r.entries, days: r.days },
      })),
    };
  }

  async start(): Promise<void> {
    await this.reload();
    // What every daemon's first snapshot will hold: later changes are measured from it.
    for (const t of Object.values(RADIUS_TOPIC)) this.publish(t);
    const hub = this.d.stream;
    hub.topic(RADIUS_TOPIC.NAS, () => this.cache.nas);
    hub.topic(RADIUS_TOPIC.LOGINS, () => this.cache.logins);
    hub.topic(RADIUS_TOPIC.ACCOUNTS, () => this.cache.accounts);
    hub.topic(RADIUS_TOPIC.LIMITS, () => this.cache.limits);
    hub.topic(RADIUS_TOPIC.PRICES, () => this.cache.prices);
    hub.topic(RADIUS_TOPIC.POOLS, () => this.cache.pools);
    hub.recordKind(RADIUS_SESSION_KIND, async (trx, _from, items, now) => {
      const r = await this.sessions.apply(trx, items, now);
      // Collectors learn the new IP groups once they are committed.
      if (r.bound > 0)
        void trx.executionPromise.then(
          () => this.d.ipGroupsChanged(),
          () => undefined,
        );
    });
    hub.method(RADIUS_CALL.CARD_REGISTER, (from, args) => this.cards.answer(from, args));
    this.timer = setInterval(() => void this.refreshAccounts(), ACCOUNTS_REFRESH_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    await this.reloading;
  }

  /** Reference data changed: reload everything shortly (after the change's transaction) and republish. */
  changed(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.reloading = this.reloading
        .then(() => this.reload())
        .then(() => {
          for (const t of Object.values(RADIUS_TOPIC)) this.publish(t);
        })
        .catch((err) => this.d.log.error(`cannot reload RADIUS data: ${(err as Error).message}`));
    }, 50);
  }

  /** Resolves when pending reloads have been published (tests wait on it). */
  async settled(): Promise<void> {
    while (this.pending) await new Promise((r) => setTimeout(r, 20));
    await this.reloading;
  }

  /** Whether a dial-up/hotspot link's service has dynamic IP addresses, from the last reload; undefined: link not known. */
  private linkIsDynamic(slinkId: number): boolean | undefined {
    const serviceId = this.linkServices.get(slinkId);
    return serviceId === undefined ? undefined : this.dynamicServices.has(serviceId);
  }

  private async reload(): Promise<void> {
    const c = this.catalog;
    const dynamic: { service_id: number }[] = await this.d.db
      .knex('dialup_services')
      .where({ is_dynamic: true })
      .select('service_id');
    this.dynamicServices = new Set(dynamic.map((r) => Number(r.service_id)));
    this.cache = {
      nas: await c.nasItems(),
      logins: await c.loginItems(),
      accounts: await c.accountItems(),
      limits: await c.limitItems(),
      prices: await c.priceItems(this.d.timezone),
      pools: await this.pools.list(),
    };
    this.linkServices = new Map(
      this.cache.logins.filter((l) => l.kind !== 'iptraffic').map((l) => [l.slinkId, l.serviceId]),
    );
  }

  /** Balances and blocks change with every payment and charge: re-read, and send the accounts that changed. */
  async refreshAccounts(): Promise<void> {
    this.cache.accounts = await this.catalog.accountItems();
    this.publish(RADIUS_TOPIC.ACCOUNTS);
  }

  /**
   * Sends what changed of a topic since it was last sent: for logins and accounts one event per item that changed or
   * went (the whole list when most of a big list changed); the small topics whole when anything in them changed.
   * A daemon that logs in meanwhile gets the snapshot of the cache, which already holds the change.
   */
  private publish(topic: TopicName): void {
    const hub = this.d.stream;
    const keyed = (KEYED as Record<string, { items: (c: Cache) => unknown[]; key: (t: never) => string }>)[topic];
    if (!keyed) {
      const text = JSON.stringify(WHOLE[topic]!(this.cache));
      if (this.sent.get(topic)?.get('') === text) return;
      this.sent.set(topic, new Map([['', text]]));
      hub.republish(topic);
      return;
    }
    const items = keyed.items(this.cache);
    const key = keyed.key as (t: unknown) => string;
    const d = keyedChanges(this.sent.get(topic) ?? new Map(), items, key);
    if (d.changed.length === 0 && d.removed.length === 0) return;
    this.sent.set(topic, d.texts);
    if (d.changed.length > 1000 && d.changed.length > items.length / 2) {
      hub.republish(topic);
      return;
    }
    for (const t of d.changed) hub.publish({ topic, op: 'upsert', key: key(t), item: t });
    for (const k of d.removed) hub.publish({ topic, op: 'delete', key: k });
  }
}
