import type { Knex } from '@utm5/db';
import { BillingError, badInput as bad } from '../billing/billing-error';
import { ZONE_TYPE_NAME, type TelZone, type ZoneType } from './model';

type K = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

export interface TelZoneDef {
  readonly name: string;
  readonly type: number;
}

/** A zone as the get and list functions answer it. */
export interface TelZoneRow extends TelZone {
  readonly supplierId: number;
  readonly createDate: number;
  readonly updateDate: number;
}

function toZone(r: Row): TelZoneRow {
  return {
    id: Number(r['id']),
    name: String(r['name']),
    type: Number(r['zone_type']) as ZoneType,
    supplierId: Number(r['supplier_id']),
    createDate: Number(r['create_date']),
    updateDate: Number(r['update_date']),
  };
}

function check(z: TelZoneDef): void {
  if (!z.name.trim()) throw bad('a telephone zone needs a name');
  if (!(z.type in ZONE_TYPE_NAME))
    throw bad(`zone '${z.name}': zone_type ${z.type} must be 0 local, 1 innerzone, 2 intercity or 3 international`);
}

/** tel_zones: zones are soft-deleted (is_deleted), as calls and reports keep their ids. */
export const zoneRepo = {
  async get(k: K, id: number): Promise<TelZoneRow | undefined> {
    const r = await k('tel_zones').where({ id, is_deleted: false }).first();
    return r ? toZone(r) : undefined;
  },

  async list(k: K): Promise<TelZoneRow[]> {
    return ((await k('tel_zones').where({ is_deleted: false }).orderBy('id')) as Row[]).map(toZone);
  },

  async require(k: K, id: number, where: string): Promise<TelZoneRow> {
    const z = await this.get(k, id);
    if (!z) throw bad(`${where}: no telephone zone ${id}`);
    return z;
  },

  async add(trx: Knex.Transaction, z: TelZoneDef, now: number): Promise<number> {
    check(z);
    const [id] = await trx('tel_zones').insert({ name: z.name, zone_type: z.type, create_date: now, update_date: now });
    return Number(id);
  },

  /** A zone's type is its directions' type: they change with it. */
  async edit(trx: Knex.Transaction, id: number, z: TelZoneDef, now: number): Promise<void> {
    check(z);
    await this.require(trx, id, `edit zone '${z.name}'`);
    await trx('tel_zones').where({ id }).update({ name: z.name, zone_type: z.type, update_date: now });
    await trx('tel_directions')
      .where({ zone_id: id, is_deleted: false })
      .update({ dir_type: z.type, update_date: now });
  },

  /**
   * Removes a zone no service prices and no emergency list names (the calls of its directions would silently
   * become free otherwise); its directions move to zone 0 (in no zone). Returns how many moved.
   */
  async remove(trx: Knex.Transaction, id: number, now: number): Promise<number> {
    await this.require(trx, id, 'remove zone');
    const priced = await servicesPricing(trx, id);
    if (priced.length > 0)
      throw new BillingError(
        'UTM_IN_USE',
        `zone ${id} is priced by telephony service(s) ${priced.join(', ')}: remove it from them first`,
      );
    const emergency = await trx('tel_emergency').where({ zone_id: id }).first('service_id');
    if (emergency)
      throw new BillingError(
        'UTM_IN_USE',
        `zone ${id} is an emergency zone of service ${emergency.service_id}: remove it there first`,
      );
    const moved = await trx('tel_directions')
      .where({ zone_id: id, is_deleted: false })
      .update({ zone_id: 0, update_date: now });
    await trx('tel_zones').where({ id }).update({ is_deleted: true, update_date: now });
    return Number(moved);
  },
};

/**
 * The live services with tariff class `tariffClass` (a zone id, or minus a direction id): a class is any row of the
 * three class tables.
 */
export async function servicesPricing(k: K, tariffClass: number): Promise<number[]> {
  const ids = new Set<number>();
  for (const t of ['tel_service_classes', 'tel_service_prices', 'tel_service_borders']) {
    const rows: Row[] = await k(t)
      .join('services', 'services.id', `${t}.service_id`)
      .where({ [`${t}.tariff_class`]: tariffClass, 'services.is_deleted': false })
      .distinct(`${t}.service_id as s`);
    for (const r of rows) ids.add(Number(r['s']));
  }
  return [...ids].sort((a, b) => a - b);
}
