import type { Clock, SecretBox } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import { audit, UserAction, type Actor } from '../billing/audit';
import { badInput as bad } from '../billing/billing-error';
import type { NewService } from '../tariffication/catalog';
import type { Tariffication } from '../tariffication/engine';
import { ServiceType, type LinkHook, type NewPeriodicLink, type ServiceRow } from '../tariffication/model';
import { directionRepo, type DirSearch, type TelDirectionDef, type TelDirectionRow } from './direction-repo';
import { telNumberRepo, type NumberKey, type TelNumberDef } from './tel-number-repo';
import { className, telServiceRepo, type TelServiceDef } from './tel-service-repo';
import { zoneRepo, type TelZoneDef, type TelZoneRow } from './zone-repo';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';

export type { DirSearch, TelDirectionDef, TelDirectionRow, TelNumberDef, TelServiceDef, TelZoneDef, TelZoneRow };

export interface TelCatalogDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly tariffication: Pick<Tariffication, 'catalog' | 'addPeriodicLink' | 'editPeriodicLink'>;
  /** Reference data changed: the snapshot is rebuilt (after the change's transaction). */
  readonly changed: () => void;
  /** The billing events (the audit rows' user_log). */
  readonly events?: EventSink;
}

/** The edit of a telephony link's periodic part (rpcf_edit_tel_service_link). */
export interface TelLinkEdit {
  readonly startDate: number;
  readonly expireDate: number;
  readonly policyId: number;
  readonly costCoefE6: number;
  readonly houseId: number;
  readonly comment: string;
}

/** A number of a link as the get functions answer it; id is tel_numbers.id. */
export type TelNumberView = TelNumberDef & { readonly id: number; readonly slinkId: number };

/** What an audit row says of a link's numbers (never their passwords). */
const numbersText = (nums: readonly TelNumberDef[]) =>
  nums.map((n) => [n.login, n.number].filter(Boolean).join('/')).join(', ') || 'none';

/**
 * Zones, directions, telephony services, telephony links and their numbers, emergency zones: the writes (audited in
 * the user change log, in the change's transaction) and the reads the URFA functions make. Every committed change
 * calls `changed` so the module rebuilds the snapshot rating reads.
 */
export class TelCatalog {
  /** Removing a telephony link takes its numbers out of use: the snapshot is rebuilt once the removal commits. */
  readonly linkHook: LinkHook = {
    removed: async (trx, _link, svc) => {
      if (svc.type === ServiceType.TELEPHONY)
        void trx.executionPromise.then(
          () => this.d.changed(),
          () => undefined,
        );
    },
  };

  private readonly events: EventSink;

  constructor(private readonly d: TelCatalogDeps) {
    this.events = d.events ?? NO_LISTENERS;
  }

  /** Runs a change in a transaction with its audit row, then tells the module. */
  private async change<T>(
    actor: Actor,
    action: string,
    fn: (trx: Knex.Transaction, now: number) => Promise<{ result: T; text: string }>,
  ): Promise<T> {
    const result = await this.d.db.tx(async (trx) => {
      const now = this.d.clock.now();
      const r = await fn(trx, now);
      await audit(trx, actor, UserAction.SETTINGS, action, r.text, {}, now, this.events);
      return r.result;
    });
    this.d.changed();
    return result;
  }

  // ---- zones ----

  addZone(actor: Actor, z: TelZoneDef): Promise<number> {
    return this.change(actor, 'tel_zone_add', async (trx, now) => {
      const id = await zoneRepo.add(trx, z, now);
      return { result: id, text: `telephone zone ${id} '${z.name}' (type ${z.type}) added` };
    });
  }

  editZone(actor: Actor, id: number, z: TelZoneDef): Promise<void> {
    return this.change(actor, 'tel_zone_change', async (trx, now) => {
      await zoneRepo.edit(trx, id, z, now);
      return { result: undefined, text: `telephone zone ${id} changed to '${z.name}' (type ${z.type})` };
    });
  }

  /**
   * Removes a zone that no service prices and no emergency list names (refused otherwise, UTM_IN_USE); its
   * directions move to zone 0. Returns how many moved.
   */
  removeZone(actor: Actor, id: number): Promise<number> {
    return this.change(actor, 'tel_zone_remove', async (trx, now) => {
      const moved = await zoneRepo.remove(trx, id, now);
      return { result: moved, text: `telephone zone ${id} removed (${moved} direction(s) moved to zone 0)` };
    });
  }

  async zone(id: number): Promise<(TelZoneRow & { directions: TelDirectionRow[] }) | undefined> {
    const z = await zoneRepo.get(this.d.db.knex, id);
    return z && { ...z, directions: await directionRepo.ofZone(this.d.db.knex, id) };
  }

  zones(): Promise<TelZoneRow[]> {
    return zoneRepo.list(this.d.db.knex);
  }

  // ---- directions ----

  addDirection(actor: Actor, d: TelDirectionDef): Promise<number> {
    return this.change(actor, 'tel_dir_add', async (trx, now) => {
      const id = await directionRepo.add(trx, d, now);
      return { result: id, text: `telephone direction ${id} '${d.name}' added to zone ${d.zoneId}` };
    });
  }

  editDirection(actor: Actor, id: number, d: TelDirectionDef): Promise<void> {
    return this.change(actor, 'tel_dir_change', async (trx, now) => {
      await directionRepo.edit(trx, id, d, now);
      return { result: undefined, text: `telephone direction ${id} '${d.name}' changed (zone ${d.zoneId})` };
    });
  }

  /** Refused (UTM_IN_USE) while a service prices the direction on its own. */
  removeDirection(actor: Actor, id: number): Promise<void> {
    return this.change(actor, 'tel_dir_remove', async (trx, now) => {
      await directionRepo.remove(trx, id, now);
      return { result: undefined, text: `telephone direction ${id} removed` };
    });
  }

  direction(id: number): Promise<TelDirectionRow | undefined> {
    return directionRepo.get(this.d.db.knex, id);
  }

  directions(skipIds: readonly number[], start = 0, count = 0): Promise<TelDirectionRow[]> {
    return directionRepo.list(this.d.db.knex, skipIds, start, count);
  }

  directionCount(skipIds: readonly number[]): Promise<number> {
    return directionRepo.count(this.d.db.knex, skipIds);
  }

  searchDirections(s: DirSearch, offset = 0, count = 0): Promise<TelDirectionRow[]> {
    return directionRepo.search(this.d.db.knex, s, offset, count);
  }

  // ---- telephony services ----

  /**
   * Adds (prev undefined) or edits a telephony service: the service row through the tariffication catalog, then its
   * telephony part; a refused part undoes the row.
   */
  async saveService(actor: Actor, prev: ServiceRow | undefined, s: NewService, t: TelServiceDef): Promise<number> {
    if (s.type !== ServiceType.TELEPHONY) throw bad(`service '${s.name}' is not a telephony service`);
    const id = await this.d.tariffication.catalog.saveServiceWithPart(prev, s, async (trx, id) => {
      await telServiceRepo.save(trx, id, `telephony service ${id} '${s.name}'`, t);
      const classes = t.classes.map((c) => className(c.tariffClass)).join(', ');
      await audit(
        trx,
        actor,
        UserAction.SETTINGS,
        prev ? 'tel_service_change' : 'tel_service_add',
        `telephony service ${id} '${s.name}' ${prev ? 'changed' : 'added'}: classes ${classes}`,
        {},
        this.d.clock.now(),
        this.events,
      );
    });
    this.d.changed();
    return id;
  }

  /** The telephony part of a service, or undefined when it has none. */
  service(serviceId: number): Promise<TelServiceDef | undefined> {
    return telServiceRepo.get(this.d.db.knex, serviceId);
  }

  // ---- telephony links and their numbers ----

  /** Links a telephony service with its numbers; a refused number leaves no link. */
  async addLink(actor: Actor, l: NewPeriodicLink, nums: readonly TelNumberDef[]): Promise<number> {
    const id = await this.d.tariffication.addPeriodicLink(actor, l, async (trx, slinkId) => {
      const svc = await this.d.tariffication.catalog.service(l.serviceId, trx);
      if (svc?.type !== ServiceType.TELEPHONY) throw bad(`service ${l.serviceId} is not a telephony service`);
      await this.setNumbers(trx, actor, slinkId, l.accountId, nums);
    });
    this.d.changed();
    return id;
  }

  /** Edits a telephony link's periodic part and replaces its numbers, in one transaction. */
  async editLink(actor: Actor, slinkId: number, e: TelLinkEdit, nums: readonly TelNumberDef[]): Promise<void> {
    await this.d.tariffication.editPeriodicLink(actor, slinkId, e, async (trx, link) => {
      const svc = await this.d.tariffication.catalog.service(link.serviceId, trx);
      if (svc?.type !== ServiceType.TELEPHONY) throw bad(`service link ${slinkId} is not a telephony link`);
      await this.setNumbers(trx, actor, slinkId, link.accountId, nums);
    });
    this.d.changed();
  }

  private async setNumbers(
    trx: Knex.Transaction,
    actor: Actor,
    slinkId: number,
    accountId: number,
    nums: readonly TelNumberDef[],
  ): Promise<void> {
    await telNumberRepo.replace(trx, this.d.secrets, slinkId, nums);
    const acc = await trx('accounts').where({ id: accountId }).first('user_id');
    await audit(
      trx,
      actor,
      UserAction.ACCOUNT_CHANGED,
      'tel_numbers_set',
      `telephony link ${slinkId}: numbers ${numbersText(nums)}`,
      { userId: acc ? Number(acc.user_id) : null, accountId },
      this.d.clock.now(),
      this.events,
    );
  }

  /** The numbers of a link with their passwords opened (the link's get function answers them, as UTM5's does). */
  async linkNumbers(slinkId: number): Promise<TelNumberView[]> {
    return (await telNumberRepo.ofLink(this.d.db.knex, slinkId)).map((n) => ({
      ...n,
      password: n.password ? this.d.secrets.open(n.password) : '',
    }));
  }

  /** The numbers of every live telephony link, without passwords (a list of all is no place for them). */
  async numbers(): Promise<TelNumberView[]> {
    return (await telNumberRepo.all(this.d.db.knex)).map((n) => ({ ...n, password: '' }));
  }

  /** Whether another live telephony link than `slinkId` has the number (with these trunks and PBX id) or the login. */
  async isNumberUsed(slinkId: number, login: string, key: NumberKey): Promise<boolean> {
    const k = this.d.db.knex;
    return (
      (await telNumberRepo.numberOwner(k, key, slinkId)) !== undefined ||
      (await telNumberRepo.loginOwner(k, login, slinkId)) !== undefined
    );
  }

  // ---- emergency zones ----

  /** The zones callable while the account is blocked, per telephony service (services without any left out). */
  async emergency(): Promise<Map<number, number[]>> {
    const rows: Record<string, unknown>[] = await this.d.db
      .knex('tel_emergency')
      .join('services', 'services.id', 'tel_emergency.service_id')
      .where({ 'services.is_deleted': false })
      .orderBy(['tel_emergency.service_id', 'tel_emergency.zone_id'])
      .select('tel_emergency.service_id', 'tel_emergency.zone_id');
    const m = new Map<number, number[]>();
    for (const r of rows) {
      const sid = Number(r['service_id']);
      (m.get(sid) ?? m.set(sid, []).get(sid)!).push(Number(r['zone_id']));
    }
    return m;
  }

  /** Replaces the emergency zones of a telephony service. */
  setEmergency(actor: Actor, serviceId: number, zoneIds: readonly number[]): Promise<void> {
    return this.change(actor, 'tel_emergency_set', async (trx) => {
      const where = `emergency zones of service ${serviceId}`;
      const svc = await this.d.tariffication.catalog.service(serviceId, trx);
      if (svc?.type !== ServiceType.TELEPHONY) throw bad(`${where}: service ${serviceId} is not a telephony service`);
      const ids = [...new Set(zoneIds)];
      for (const z of ids) await zoneRepo.require(trx, z, where);
      await trx('tel_emergency').where({ service_id: serviceId }).delete();
      for (const z of ids) await trx('tel_emergency').insert({ service_id: serviceId, zone_id: z });
      return { result: undefined, text: `${where} set to ${ids.join(', ') || 'none'}` };
    });
  }
}
