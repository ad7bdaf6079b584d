import type { TimePrice } from '@utm5/common';
import {
  RADIUS_TOPIC,
  SHAPING_TOPIC,
  type AccountWire,
  type EventMsg,
  type LimitWire,
  type LoginWire,
  type NasWire,
  type PoolWire,
  type PriceWire,
  type ShapingWire,
} from '@utm5/protocol';

/**
 * What utm5_radius knows, as the core last sent it: NASes by address, logins, accounts, capacity limits and
 * dial-up/hotspot prices, IP pools, the bandwidth in force per shaped link. Replaced topic by topic (shaping also link
 * by link); lookups are map reads (no database on the request path).
 */
export class RadiusState {
  nas = new Map<string, NasWire>();
  logins = new Map<string, LoginWire>();
  accounts = new Map<number, AccountWire>();
  limits = new Map<string, number>();
  prices = new Map<number, { prices: TimePrice[]; tz: string }>();
  private priceItems: PriceWire[] = [];
  pools: PoolWire[] = [];
  shaping = new Map<number, ShapingWire>();
  /** Topics received at least once since start (authorization waits for logins and accounts). */
  readonly loaded = new Set<string>();

  apply(topic: string, items: unknown[]): boolean {
    switch (topic) {
      case RADIUS_TOPIC.NAS:
        this.nas = new Map((items as NasWire[]).map((n) => [n.ip, n]));
        break;
      case RADIUS_TOPIC.LOGINS:
        this.logins = new Map((items as LoginWire[]).map((l) => [l.login, l]));
        break;
      case RADIUS_TOPIC.ACCOUNTS:
        this.accounts = new Map((items as AccountWire[]).map((a) => [a.id, a]));
        break;
      case RADIUS_TOPIC.LIMITS:
        this.limits = new Map((items as LimitWire[]).map((l) => [`${l.level}:${l.refId}`, l.max]));
        break;
      case RADIUS_TOPIC.POOLS:
        this.pools = items as PoolWire[];
        break;
      case RADIUS_TOPIC.PRICES:
        this.priceItems = items as PriceWire[];
        this.prices = new Map(
          (items as PriceWire[]).map((p) => [
            p.serviceId,
            {
              tz: p.tz,
              prices: p.ranges.map((r, i) => ({
                pricePerHour: r.pricePerHour,
                range: { id: i, name: '', priority: r.priority, entries: r.entries, days: r.days },
              })),
            },
          ]),
        );
        break;
      case SHAPING_TOPIC:
        this.shaping = new Map((items as ShapingWire[]).map((w) => [w.slinkId, w]));
        break;
      default:
        return false;
    }
    this.loaded.add(topic);
    return true;
  }

  /** A 'radius_shaping' event: one link's bandwidth set or gone. Returns what the link had; false for another topic. */
  applyShapingEvent(ev: EventMsg): ShapingWire | undefined | false {
    const id = Number(ev.key);
    if (ev.topic !== SHAPING_TOPIC || !Number.isSafeInteger(id)) return false;
    const was = this.shaping.get(id);
    if (ev.op === 'delete') this.shaping.delete(id);
    else this.shaping.set(id, ev.item as ShapingWire);
    return was;
  }

  /**
   * A 'radius_accounts' event: one account changed (balance, block) or went. Returns what it had (undefined: it was
   * new); false for another topic or a bad key.
   */
  applyAccountEvent(ev: EventMsg): AccountWire | undefined | false {
    const id = Number(ev.key);
    if (ev.topic !== RADIUS_TOPIC.ACCOUNTS || !Number.isSafeInteger(id)) return false;
    const was = this.accounts.get(id);
    if (ev.op === 'delete') this.accounts.delete(id);
    else this.accounts.set(id, ev.item as AccountWire);
    return was;
  }

  /** A 'radius_logins' event: one login added, changed or gone. True when it was one; false for another topic. */
  applyLoginEvent(ev: EventMsg): boolean {
    if (ev.topic !== RADIUS_TOPIC.LOGINS || typeof ev.key !== 'string') return false;
    if (ev.op === 'delete') this.logins.delete(ev.key);
    else this.logins.set(ev.key, ev.item as LoginWire);
    return true;
  }

  limit(level: LimitWire['level'], id: number): number {
    return this.limits.get(`${level}:${id}`) ?? 0;
  }

  /** Everything a snapshot holds, for the state file (authorization keeps working when it starts with the core down). */
  toJSON(): Record<string, unknown[]> {
    return {
      [RADIUS_TOPIC.NAS]: [...this.nas.values()],
      [RADIUS_TOPIC.LOGINS]: [...this.logins.values()],
      [RADIUS_TOPIC.ACCOUNTS]: [...this.accounts.values()],
      [RADIUS_TOPIC.LIMITS]: [...this.limits].map(([k, max]) => ({
        level: k.split(':')[0],
        refId: Number(k.split(':')[1]),
        max,
      })),
      [RADIUS_TOPIC.PRICES]: this.priceItems,
      [RADIUS_TOPIC.POOLS]: this.pools,
      // Kept so a restart sends CoA only for what changed meanwhile.
      [SHAPING_TOPIC]: [...this.shaping.values()],
    };
  }
}
