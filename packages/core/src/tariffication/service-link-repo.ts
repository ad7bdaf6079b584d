import type { Database, Knex } from '@utm5/db';
import { ChargeMethod, toLinkPeriod, toSLink, type LinkPeriod, type SLink } from './model';

type Db = Knex | Knex.Transaction;

/** A service link as it is inserted; what is left out takes the column's default. */
export interface SLinkInsert {
  readonly accountId: number;
  readonly userId: number;
  readonly serviceId: number;
  readonly tariffLinkId: number;
  readonly periodId: number;
  readonly startDate: number;
  readonly expireDate: number;
  readonly createdAt: number;
  readonly policyId?: number;
  readonly costCoefE6?: number;
  readonly houseId?: number;
  readonly comment?: string;
  readonly unabon?: boolean;
  readonly unprepay?: boolean;
  /** One-time links: when they are charged. */
  readonly discountDate?: number;
}

/** What an edit may change of a link. */
export interface SLinkPatch {
  readonly serviceId?: number;
  readonly periodId?: number;
  readonly startDate?: number;
  readonly expireDate?: number;
  readonly policyId?: number;
  readonly costCoefE6?: number;
  readonly houseId?: number;
  readonly comment?: string;
  readonly discountDate?: number;
}

const COLUMNS: Record<keyof SLinkInsert | keyof SLinkPatch, string> = {
  accountId: 'account_id',
  userId: 'user_id',
  serviceId: 'service_id',
  tariffLinkId: 'tariff_link_id',
  periodId: 'discount_period_id',
  startDate: 'start_date',
  expireDate: 'expire_date',
  createdAt: 'created_at',
  policyId: 'policy_id',
  costCoefE6: 'cost_coef_e6',
  houseId: 'house_id',
  comment: 'comment',
  unabon: 'unabon',
  unprepay: 'unprepay',
  discountDate: 'discount_date',
};

/** Only the fields given become columns, so the insert or update touches exactly what the caller named. */
function columns(o: object): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) row[COLUMNS[k as keyof typeof COLUMNS]] = v;
  return row;
}

/**
 * Service links (service_links) with what each owes per accounting period (slink_periods) and the charge-policy
 * flags frozen when a block begins (block_policies): the tariffication engine's storage of links.
 */
export class ServiceLinkRepo {
  constructor(private readonly db: Database) {}

  async insert(trx: Knex.Transaction, l: SLinkInsert): Promise<number> {
    const [id] = await trx('service_links').insert(columns(l));
    return Number(id);
  }

  async update(trx: Knex.Transaction, id: number, e: SLinkPatch): Promise<void> {
    await trx('service_links').where({ id }).update(columns(e));
  }

  async markRemoving(trx: Knex.Transaction, id: number, at: number): Promise<void> {
    await trx('service_links').where({ id }).update({ removed_at: at });
  }

  async markDeleted(trx: Knex.Transaction, id: number): Promise<void> {
    await trx('service_links').where({ id }).update({ is_deleted: true });
  }

  /** The link ends (expired, or dropped by a tariff switch) as of `at`. */
  async end(trx: Knex.Transaction, id: number, at: number): Promise<void> {
    await trx('service_links').where({ id }).update({ is_deleted: true, removed_at: at });
  }

  async markOnceCharged(trx: Knex.Transaction, id: number): Promise<void> {
    await trx('service_links').where({ id }).update({ once_charged: true });
  }

  /** A live link of the account to the service, if any (services without multiple linking allow one). */
  async liveLinkTo(trx: Db, accountId: number, serviceId: number): Promise<number | undefined> {
    const r = await trx('service_links')
      .where({ account_id: accountId, service_id: serviceId, is_deleted: false })
      .first('id');
    return r ? Number(r.id) : undefined;
  }

  /** One-time links still to be charged, with their dates (for their timemarks at start). */
  async pendingOnce(): Promise<{ id: number; discountDate: number }[]> {
    const rows: { id: number; discount_date: number }[] = await this.db
      .knex('service_links')
      .where({ once_charged: false, is_deleted: false })
      .andWhere('discount_date', '>', 0)
      .select('id', 'discount_date');
    return rows.map((r) => ({ id: Number(r.id), discountDate: Number(r.discount_date) }));
  }

  async ofTariffLink(trx: Db, tlinkId: number): Promise<SLink[]> {
    return (
      (await trx('service_links').where({ tariff_link_id: tlinkId, is_deleted: false })) as Record<string, unknown>[]
    ).map(toSLink);
  }

  async ofAccountInPeriod(trx: Db, accountId: number, periodId: number): Promise<SLink[]> {
    return (
      (await trx('service_links').where({
        account_id: accountId,
        discount_period_id: periodId,
        is_deleted: false,
      })) as Record<string, unknown>[]
    ).map(toSLink);
  }

  /** Accounts with live links in the period. */
  async accountsInPeriod(periodId: number): Promise<number[]> {
    return (
      await this.db
        .knex('service_links')
        .where({ discount_period_id: periodId, is_deleted: false })
        .distinct('account_id')
    ).map((r: { account_id: number }) => Number(r.account_id));
  }

  /** The distinct charge policies (timemarks, flags) of the period's live links. */
  async policiesInPeriod(periodId: number): Promise<{ timemarks: string; flags: number }[]> {
    return this.db
      .knex('charge_policies as c')
      .join('service_links as l', 'l.policy_id', 'c.id')
      .where({ 'l.discount_period_id': periodId, 'l.is_deleted': false })
      .distinct('c.timemarks', 'c.flags');
  }

  /** The period's live links with their policy flags and their record for the period. */
  async periodRecordsWithPolicy(periodId: number): Promise<{ accountId: number; flags: number; lp: LinkPeriod }[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('service_links as l')
      .join('charge_policies as c', 'c.id', 'l.policy_id')
      .join('slink_periods as sp', (j) => j.on('sp.slink_id', 'l.id').andOn('sp.period_id', 'l.discount_period_id'))
      .where({ 'l.discount_period_id': periodId, 'l.is_deleted': false })
      .select('l.account_id', 'l.id', 'c.flags', 'sp.*');
    return rows.map((r) => ({ accountId: Number(r['account_id']), flags: Number(r['flags']), lp: toLinkPeriod(r) }));
  }

  /** The period's live links of flow-charged services, as (account, link). */
  async flowLinksInPeriod(periodId: number): Promise<{ accountId: number; slinkId: number }[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('service_links as l')
      .join('services as s', 's.id', 'l.service_id')
      .join('slink_periods as sp', (j) => j.on('sp.slink_id', 'l.id').andOn('sp.period_id', 'l.discount_period_id'))
      .where({ 'l.discount_period_id': periodId, 'l.is_deleted': false, 's.discount_method': ChargeMethod.FLOW })
      .select('l.account_id', 'sp.*');
    return rows.map((r) => ({ accountId: Number(r['account_id']), slinkId: Number(r['slink_id']) }));
  }

  // ---- slink_periods ----

  async addPeriodRecord(trx: Knex.Transaction, slinkId: number, periodId: number, ordinal: number): Promise<void> {
    await trx('slink_periods').insert({ slink_id: slinkId, period_id: periodId, ordinal });
  }

  async periodRecord(trx: Db, slinkId: number, periodId: number): Promise<LinkPeriod | undefined> {
    const r = await trx('slink_periods').where({ slink_id: slinkId, period_id: periodId }).first();
    return r ? toLinkPeriod(r) : undefined;
  }

  /** The account's period records not settled yet (refunds may still be due at a repay moment). */
  async unsettled(trx: Db, accountId: number): Promise<LinkPeriod[]> {
    const rows: Record<string, unknown>[] = await trx('slink_periods as sp')
      .join('service_links as l', 'l.id', 'sp.slink_id')
      .where({ 'l.account_id': accountId, 'sp.settled': false })
      .select('sp.*');
    return rows.map(toLinkPeriod);
  }

  /** The account's live links' records in open periods whose start-of-period fee was skipped for lack of funds. */
  async skippedInOpenPeriods(trx: Db, accountId: number): Promise<LinkPeriod[]> {
    const rows: Record<string, unknown>[] = await trx('slink_periods as sp')
      .join('service_links as l', 'l.id', 'sp.slink_id')
      .join('discount_periods as p', 'p.id', 'sp.period_id')
      .where({ 'l.account_id': accountId, 'sp.skipped': true, 'p.is_closed': false, 'l.is_deleted': false })
      .select('sp.*');
    return rows.map(toLinkPeriod);
  }

  async unskip(trx: Knex.Transaction, slinkId: number, periodId: number): Promise<void> {
    await trx('slink_periods').where({ slink_id: slinkId, period_id: periodId }).update({ skipped: false });
  }

  // ---- block_policies ----

  /** Records the charge-policy flags the account's periodic links have as the block begins. */
  async freezePolicies(trx: Knex.Transaction, blockId: number, accountId: number): Promise<void> {
    const links: { id: number; flags: number }[] = await trx('service_links as l')
      .join('charge_policies as c', 'c.id', 'l.policy_id')
      .where({ 'l.account_id': accountId, 'l.is_deleted': false })
      .andWhere('l.discount_period_id', '>', 0)
      .select('l.id', 'c.flags');
    for (const l of links) {
      await trx('block_policies')
        .insert({ block_id: blockId, slink_id: Number(l.id), flags: Number(l.flags) })
        .onConflict(['block_id', 'slink_id'])
        .ignore();
    }
  }

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
    const rows: Record<string, unknown>[] = await this.db
      .knex('service_links as l')
      .join('services as s', 's.id', 'l.service_id')
      .leftJoin('tariffs as t', 't.id', 's.tariff_id')
      .where({ 'l.account_id': accountId, 'l.is_deleted': false })
      .orderBy('l.id')
      .select(
        'l.id',
        'l.service_id',
        'l.discount_period_id',
        'l.cost_coef_e6',
        's.service_type',
        's.name',
        's.cost',
        't.name as tariff_name',
      );
    return rows.map((r) => ({
      id: Number(r['id']),
      serviceId: Number(r['service_id']),
      periodId: Number(r['discount_period_id']),
      costCoefE6: Number(r['cost_coef_e6']),
      serviceType: Number(r['service_type']),
      serviceName: String(r['name']),
      serviceCost: Number(r['cost']),
      tariffName: String(r['tariff_name'] ?? ''),
    }));
  }

  /** How many links in force the service has. */
  async countOfService(serviceId: number): Promise<number> {
    const [{ n }] = await this.db
      .knex('service_links')
      .where({ service_id: serviceId, is_deleted: false })
      .count({ n: '*' });
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
    const used = await this.db
      .knex('services as s')
      .join('service_links as l', 'l.service_id', 's.id')
      .where({ 's.scheme_id': schemeId, 'l.is_deleted': false })
      .first('s.id');
    return used ? Number(used.id) : undefined;
  }

  /** What the link was charged and repaid in one accounting period (undefined: nothing recorded for it). */
  async periodFees(slinkId: number, periodId: number): Promise<{ charged: number; repaid: number } | undefined> {
    const r = await this.db
      .knex('slink_periods')
      .where({ slink_id: slinkId, period_id: periodId })
      .first('charged', 'repaid');
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
