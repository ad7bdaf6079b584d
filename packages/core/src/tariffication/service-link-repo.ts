import type { Database, Knex } from '@utm5/db';
import { toSLink, type SLink } from './model';

/**
 * Reads of service_links (and of slink_periods, the per-period part of a link). Meant to become the single owner of
 * service_links: today the engine and the traffic, RADIUS and shaping modules still query the table themselves;
 * tariffication's catalog, charger and URFA functions read it only through here, and the engine's queries are to
 * move in as it is split.
 */
export class ServiceLinkRepo {
  constructor(private readonly db: Database) {}

  /** A link in force (not removed). */
  async get(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<SLink | undefined> {
    const r = await k('service_links').where({ id, is_deleted: false }).first();
    return r ? toSLink(r) : undefined;
  }

  /** A link, removed ones included (charging still settles a link removed inside its transaction). */
  async find(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<SLink | undefined> {
    const r = await k('service_links').where({ id }).first();
    return r ? toSLink(r) : undefined;
  }

  /** The links of an account in force with their service and its tariff plan, by link id. */
  async ofAccount(accountId: number): Promise<AccountLink[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('service_links as l').join('services as s', 's.id', 'l.service_id')
      .leftJoin('tariffs as t', 't.id', 's.tariff_id').where({ 'l.account_id': accountId, 'l.is_deleted': false })
      .orderBy('l.id').select('l.id', 'l.service_id', 'l.discount_period_id', 'l.cost_coef_e6', 's.service_type', 's.name', 's.cost', 't.name as tariff_name');
    return rows.map((r) => ({
      id: Number(r['id']), serviceId: Number(r['service_id']), periodId: Number(r['discount_period_id']), costCoefE6: Number(r['cost_coef_e6']),
      serviceType: Number(r['service_type']), serviceName: String(r['name']), serviceCost: Number(r['cost']),
      tariffName: String(r['tariff_name'] ?? ''),
    }));
  }

  /** How many links in force the service has. */
  async countOfService(serviceId: number): Promise<number> {
    const [{ n }] = await this.db.knex('service_links').where({ service_id: serviceId, is_deleted: false }).count({ n: '*' });
    return Number(n);
  }

  async anyOfService(serviceId: number): Promise<boolean> {
    return Boolean(await this.db.knex('service_links').where({ service_id: serviceId, is_deleted: false }).first('id'));
  }

  async anyWithPolicy(policyId: number): Promise<boolean> {
    return Boolean(await this.db.knex('service_links').where({ policy_id: policyId, is_deleted: false }).first('id'));
  }

  /** A service of the coefficient scheme that has links in force, if any. */
  async serviceOfSchemeInUse(schemeId: number): Promise<number | undefined> {
    const used = await this.db.knex('services as s').join('service_links as l', 'l.service_id', 's.id')
      .where({ 's.scheme_id': schemeId, 'l.is_deleted': false }).first('s.id');
    return used ? Number(used.id) : undefined;
  }

  /** What the link was charged and repaid in one accounting period (undefined: nothing recorded for it). */
  async periodFees(slinkId: number, periodId: number): Promise<{ charged: number; repaid: number } | undefined> {
    const r = await this.db.knex('slink_periods').where({ slink_id: slinkId, period_id: periodId }).first('charged', 'repaid');
    return r ? { charged: Number(r.charged ?? 0), repaid: Number(r.repaid ?? 0) } : undefined;
  }
}

/** A link of an account as rpcf_get_all_services_for_user lists it; serviceCost in micro-units. */
export interface AccountLink {
  readonly id: number;
  readonly serviceId: number;
  readonly periodId: number;
  readonly costCoefE6: number;
  readonly serviceType: number;
  readonly serviceName: string;
  readonly serviceCost: number;
  readonly tariffName: string;
}
