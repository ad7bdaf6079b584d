import { type Service } from '@utm5/common';
import { RADIUS_CALL, RADIUS_SESSION_KIND, RADIUS_TOPIC, TOPIC, type AccountWire, type LimitWire, type LoginWire, type NasWire, type PoolWire, type PriceWire } from '@utm5/protocol';
import type { Core } from '../core';
import { CardAutoAdd } from './card-autoadd';
import { RadiusCatalog } from './catalog';
import { IpPoolCatalog } from './ip-pools';
import { SessionCommands } from './session-commands';
import { RadiusSessions } from './sessions';
import { keyedChanges } from './topic-changes';
import type { TimePrice } from '@utm5/common';

type Cache = { nas: NasWire[]; logins: LoginWire[]; accounts: AccountWire[]; limits: LimitWire[]; prices: PriceWire[]; pools: PoolWire[] };
type TopicName = (typeof RADIUS_TOPIC)[keyof typeof RADIUS_TOPIC];

/** The topics sent item by item when they change (by these keys); the others are small and go whole. */
const KEYED = {
  [RADIUS_TOPIC.LOGINS]: { items: (c: Cache) => c.logins, key: (l: LoginWire) => l.login },
  [RADIUS_TOPIC.ACCOUNTS]: { items: (c: Cache) => c.accounts, key: (a: AccountWire) => String(a.id) },
} as const;
const WHOLE: Record<string, (c: Cache) => unknown[]> = {
  [RADIUS_TOPIC.NAS]: (c) => c.nas, [RADIUS_TOPIC.LIMITS]: (c) => c.limits, [RADIUS_TOPIC.PRICES]: (c) => c.prices, [RADIUS_TOPIC.POOLS]: (c) => c.pools,
};

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

  constructor(private readonly core: Core) {
    this.catalog = new RadiusCatalog(core.db!, core.secrets!, () => this.changed());
    this.pools = new IpPoolCatalog(core.db!, () => this.changed());
    this.sessions = new RadiusSessions(core.tariffication!.charger, (id) => this.pricesOf(id), core.log.child({ component: 'radius' }),
      core.traffic!.accounting, (slinkId) => this.linkIsDynamic(slinkId));
    const log = core.log.child({ component: 'radius' });
    this.cards = new CardAutoAdd({
      db: core.db!, cards: core.billing!.cards, catalog: this.catalog, tariffServices: (id) => core.tariffication!.catalog.tariffServices(id), log,
      publish: async () => { this.changed(); await this.settled(); },
    });
    this.commands = new SessionCommands({ db: core.db!, hub: () => core.stream, sessions: this.sessions, now: () => core.clock.now(), log });
  }

  private pricesOf(serviceId: number): { prices: TimePrice[]; tz: string } {
    const p = this.cache.prices.find((x) => x.serviceId === serviceId);
    return {
      tz: p?.tz ?? this.core.timezone,
      prices: (p?.ranges ?? []).map((r, i) => ({ pricePerHour: r.pricePerHour, range: { id: i, name: '', priority: r.priority, entries: r.entries, days: r.days } })),
    };
  }

  async start(): Promise<void> {
    await this.reload();
    // What every daemon's first snapshot will hold: later changes are measured from it.
    for (const t of Object.values(RADIUS_TOPIC)) this.publish(t);
    const hub = this.core.stream!;
    hub.topic(RADIUS_TOPIC.NAS, () => this.cache.nas);
    hub.topic(RADIUS_TOPIC.LOGINS, () => this.cache.logins);
    hub.topic(RADIUS_TOPIC.ACCOUNTS, () => this.cache.accounts);
    hub.topic(RADIUS_TOPIC.LIMITS, () => this.cache.limits);
    hub.topic(RADIUS_TOPIC.PRICES, () => this.cache.prices);
    hub.topic(RADIUS_TOPIC.POOLS, () => this.cache.pools);
    hub.recordKind(RADIUS_SESSION_KIND, async (trx, _from, items, now) => {
      const r = await this.sessions.apply(trx, items, now);
      // Collectors learn the new IP groups once they are committed.
      if (r.bound > 0) void trx.executionPromise.then(() => this.core.traffic?.changed(TOPIC.IP_GROUPS), () => undefined);
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
      this.reloading = this.reloading.then(() => this.reload()).then(() => {
        for (const t of Object.values(RADIUS_TOPIC)) this.publish(t);
      }).catch((err) => this.core.log.error(`cannot reload RADIUS data: ${(err as Error).message}`));
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
    const dynamic: { service_id: number }[] = await this.core.db!.knex('dialup_services').where({ is_dynamic: true }).select('service_id');
    this.dynamicServices = new Set(dynamic.map((r) => Number(r.service_id)));
    this.cache = { nas: await c.nasItems(), logins: await c.loginItems(), accounts: await c.accountItems(), limits: await c.limitItems(), prices: await c.priceItems(this.core.timezone),
      pools: await this.pools.list() };
    this.linkServices = new Map(this.cache.logins.filter((l) => l.kind !== 'iptraffic').map((l) => [l.slinkId, l.serviceId]));
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
    const hub = this.core.stream;
    const keyed = (KEYED as Record<string, { items: (c: Cache) => unknown[]; key: (t: never) => string }>)[topic];
    if (!keyed) {
      const text = JSON.stringify(WHOLE[topic]!(this.cache));
      if (this.sent.get(topic)?.get('') === text) return;
      this.sent.set(topic, new Map([['', text]]));
      hub?.republish(topic);
      return;
    }
    const items = keyed.items(this.cache);
    const key = keyed.key as (t: unknown) => string;
    const d = keyedChanges(this.sent.get(topic) ?? new Map(), items, key);
    if (d.changed.length === 0 && d.removed.length === 0) return;
    this.sent.set(topic, d.texts);
    if (!hub) return;
    if (d.changed.length > 1000 && d.changed.length > items.length / 2) {
      hub.republish(topic);
      return;
    }
    for (const t of d.changed) hub.publish({ topic, op: 'upsert', key: key(t), item: t });
    for (const k of d.removed) hub.publish({ topic, op: 'delete', key: k });
  }
}
