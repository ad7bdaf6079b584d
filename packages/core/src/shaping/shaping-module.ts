import { errorLine, type Clock, type Logger, type Service, type TimeRange } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import { SHAPING_TOPIC, type ShapingWire } from '@utm5/protocol';
import type { Scheduler } from '../scheduler/scheduler';
import type { StreamHub } from '../stream/stream-hub';
import type { LinkHook } from '../tariffication/engine';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';
import { loadTimeRange } from '../tariffication/time-range-rows';
import { limitInForce, rangesInForce, shapedGroups } from './bandwidth';
import { bandwidthChanges, type LinkBandwidth } from './bandwidth-changes';
import { ShapingCatalog } from './shaping-catalog';
import { ShapingStore, type ShapedIpGroup, type ShapedLink } from './shaping-store';
import { DIRECTIONS, SHAPING_FLAG, type ShapingSettings } from './settings';

/** The manual: "the ensuing limitations are set within 5 minutes from the beginning of the said range". */
const PERIOD_MIN = 5;
/** Requests within this many ms share one decision (a burst of traffic batches, an edit). */
const COALESCE_MS = 20;

export interface ShapingModuleDeps {
  readonly db: Database;
  readonly scheduler: Pick<Scheduler, 'register'>;
  readonly stream: Pick<StreamHub, 'topic' | 'publish'>;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
  /** The billing events: 'bandwidth' for every change of a limit in force, in the transaction that records it. */
  readonly events?: EventSink;
}

/**
 * Dynashape in the core: decides the bandwidth in force per IP traffic link of a shaped service (see bandwidth.ts),
 * every 5 minutes (system service 'shaping'), after traffic is committed for a link, after a link moves to a new
 * accounting period or goes, and after the settings change. A change is kept in slink_shaping, written as one
 * Set/Edit/Delete bandwidth limit event per IP group to shaping_events (for utm5_rfw), and published on the Stream
 * topic 'radius_shaping' (for utm5_radius, which sends CoA to the link's open sessions).
 */
export class ShapingModule implements Service {
  readonly name = 'shaping';
  readonly catalog: ShapingCatalog;
  private readonly store: ShapingStore;
  private readonly log: Logger;
  /** What utm5_radius is told, by link. */
  private readonly topic = new Map<number, ShapingWire>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private wantAll = false;
  private readonly wantLinks = new Set<number>();
  /** The settings of every shaped service, read again after a change. */
  private settings: Map<number, ShapingSettings> | undefined;
  /** Links with a limit in force: with none and no shaped service there is nothing to decide (the test clock runs this often). */
  private readonly limited = new Set<number>();
  private stopped = false;

  /**
   * What tariffication tells shaping of link life (the composition root adds it to its hooks). A new period starts
   * with no traffic: limits by border end (the manual's Delete at the period's end).
   */
  readonly linkHook: LinkHook = {
    moved: async (trx, link) => this.afterCommit(trx, [link.id]),
    removed: async (trx, link) => this.afterCommit(trx, [link.id]),
  };

  constructor(private readonly d: ShapingModuleDeps) {
    this.log = d.log;
    this.store = new ShapingStore(d.db, d.events ?? NO_LISTENERS);
    this.catalog = new ShapingCatalog(d.db, () => {
      this.settings = undefined;
      this.request();
    });
    d.scheduler.register({
      name: 'shaping',
      title: 'Dynashape: decide the bandwidth in force per shaped IP traffic link (time ranges start and end)',
      schedule: { kind: 'periodic', periodMin: PERIOD_MIN, alignMin: 0 },
      enabled: true,
      runGroups: [],
      run: async () => {
        const r = await this.evaluate();
        return `${r.changes} bandwidth change(s) on ${r.links} shaped link(s)`;
      },
    });
  }

  async start(): Promise<void> {
    for (const id of (await this.store.inForce()).keys()) this.limited.add(id);
    // What changed while the core was down (a range began, a period closed) is decided before anyone subscribes.
    await this.evaluate();
    this.d.stream.topic(SHAPING_TOPIC, () => [...this.topic.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  /** The bandwidth in force on a link as last decided (get_slink_shaping). */
  async bandwidthOf(slinkId: number): Promise<LinkBandwidth> {
    return (await this.store.inForce([slinkId])).get(slinkId)?.bandwidth ?? {};
  }

  /** Decides again soon: for every link, or for the given ones. */
  request(slinkIds?: readonly number[]): void {
    if (this.stopped) return;
    if (slinkIds) for (const id of slinkIds) this.wantLinks.add(id);
    else this.wantAll = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const all = this.wantAll;
      const ids = [...this.wantLinks];
      this.wantAll = false;
      this.wantLinks.clear();
      void this.evaluate(all ? undefined : ids).catch((err) =>
        this.log.error(`cannot decide shaping: ${errorLine(err)}`),
      );
    }, COALESCE_MS);
  }

  /** Decides once the transaction has committed (what it wrote is then visible); nothing when it rolled back. */
  afterCommit(trx: Knex.Transaction, slinkIds: readonly number[]): void {
    trx.executionPromise.then(
      () => this.request(slinkIds),
      () => undefined,
    );
  }

  /** Decides now, one decision at a time: every link of a shaped service, or the given links. */
  evaluate(only?: readonly number[]): Promise<{ links: number; changes: number }> {
    const run = this.queue.then(() => this.decide(only));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decide(only: readonly number[] | undefined): Promise<{ links: number; changes: number }> {
    const now = this.d.clock.now();
    this.settings ??= await this.catalog.all();
    const settings = this.settings;
    if (settings.size === 0 && this.limited.size === 0) return { links: 0, changes: 0 };
    const links = await this.store.links([...settings.keys()], only);
    const before = await this.store.inForce(only);
    const ids = [...new Set([...links.map((l) => l.id), ...before.keys()])];
    const groups = await this.store.ipGroups(ids);
    const usage = await this.store.usage(links);
    const inForce = rangesInForce(await this.ranges(settings), now, this.d.timezone);
    const after = new Map<number, LinkBandwidth>();
    for (const l of links) {
      const s = settings.get(l.serviceId)!;
      // The limits apply to IP groups of the selected kinds; a link without any is not shaped.
      if (shapedGroups(s.flags, groups.get(l.id) ?? []).length === 0) continue;
      const u = { bytes: usage.get(l.id) ?? new Map<number, number>(), blocked: l.blocked };
      const bw: LinkBandwidth = {};
      for (const d of DIRECTIONS) {
        const limit = limitInForce(s[d], u, inForce);
        if (limit) bw[d] = limit.kbit;
      }
      after.set(l.id, bw);
    }
    const changes = bandwidthChanges(new Map([...before].map(([id, b]) => [id, b.bandwidth])), after, ids);
    for (const id of ids) {
      const bw = after.get(id);
      if (bw && (bw.in !== undefined || bw.out !== undefined)) this.limited.add(id);
      else this.limited.delete(id);
    }
    if (changes.length > 0) {
      const owners = await this.owners(
        links,
        changes.map((c) => c.slinkId),
      );
      await this.store.record(
        changes,
        (id) => owners.get(id)!,
        (id) => this.eventGroups(settings, owners.get(id)!.serviceId, groups.get(id) ?? []),
        after,
        now,
      );
      for (const c of changes)
        this.log.debug(
          `service link ${c.slinkId}: ${c.event} ${c.direction === 'in' ? 'incoming' : 'outgoing'} bandwidth limit, ${c.kbit} Kbit/s`,
        );
      this.log.info(
        `${changes.length} bandwidth limit change(s) on ${new Set(changes.map((c) => c.slinkId)).size} service link(s)`,
      );
    }
    this.publish(ids, links, after, settings);
    return { links: links.length, changes: changes.length };
  }

  /** The time ranges the limits name, as evaluation takes them (a missing range is never in force). */
  private async ranges(settings: ReadonlyMap<number, ShapingSettings>): Promise<TimeRange[]> {
    const ids = new Set<number>();
    for (const s of settings.values())
      for (const d of DIRECTIONS) for (const l of s[d].limits) if (l.timeRangeId > 0) ids.add(l.timeRangeId);
    const out: TimeRange[] = [];
    for (const id of ids) out.push({ id, name: '', ...(await loadTimeRange(this.d.db.knex, id)) });
    return out;
  }

  private async owners(
    links: readonly ShapedLink[],
    ids: readonly number[],
  ): Promise<Map<number, { accountId: number; serviceId: number }>> {
    const out = new Map(links.map((l) => [l.id, { accountId: l.accountId, serviceId: l.serviceId }]));
    const gone = [...new Set(ids)].filter((id) => !out.has(id));
    if (gone.length > 0) for (const [id, o] of await this.store.owners(gone)) out.set(id, o);
    for (const id of ids) if (!out.has(id)) out.set(id, { accountId: 0, serviceId: 0 });
    return out;
  }

  /** The IP groups an event names: those of the selected kinds; all of them when the service is no longer shaped. */
  private eventGroups(
    settings: ReadonlyMap<number, ShapingSettings>,
    serviceId: number,
    groups: readonly ShapedIpGroup[],
  ): readonly ShapedIpGroup[] {
    const s = settings.get(serviceId);
    return s ? shapedGroups(s.flags, groups) : groups;
  }

  /** Tells utm5_radius of the links whose bandwidth (or the service's attributes) it does not have yet. */
  private publish(
    ids: readonly number[],
    links: readonly ShapedLink[],
    after: ReadonlyMap<number, LinkBandwidth>,
    settings: ReadonlyMap<number, ShapingSettings>,
  ): void {
    const serviceOf = new Map(links.map((l) => [l.id, l.serviceId]));
    for (const id of ids) {
      const bw = after.get(id);
      const s = settings.get(serviceOf.get(id) ?? 0);
      const item: ShapingWire | undefined =
        bw && s && (s.flags & SHAPING_FLAG.VPN) !== 0 && (bw.in !== undefined || bw.out !== undefined)
          ? { slinkId: id, inKbit: bw.in ?? 0, outKbit: bw.out ?? 0, attrs: s.attrs }
          : undefined;
      const had = this.topic.get(id);
      if (!item) {
        if (!had) continue;
        this.topic.delete(id);
        this.d.stream.publish({ topic: SHAPING_TOPIC, op: 'delete', key: String(id) });
      } else if (!had || JSON.stringify(had) !== JSON.stringify(item)) {
        this.topic.set(id, item);
        this.d.stream.publish({ topic: SHAPING_TOPIC, op: 'upsert', key: String(id), item });
      }
    }
  }
}
