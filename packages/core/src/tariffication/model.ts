import type { Knex } from '@utm5/db';

/** Service types as UTM5 numbers them in service_type. */
export const ServiceType = {
  ONCE: 1,
  PERIODIC: 2,
  IPTRAFFIC: 3,
  HOTSPOT: 4,
  DIALUP: 5,
  TELEPHONY: 6,
  IPTV: 7,
  VOD: 8,
} as const;
/** Charge methods (discount_method): at the start of the period, at its end, or flow (in portions). */
export const ChargeMethod = { AT_START: 1, AT_END: 2, FLOW: 3 } as const;
/** Service status: common, template, tariff plan service (service_status in rpcf_get_services_list). */
export const ServiceStatus = { COMMON: 0, TEMPLATE: 1, TARIFF: 2 } as const;

export function serviceTypeName(t: number): string {
  return (
    ['', 'one-time', 'periodic', 'IP traffic', 'hotspot', 'dial-up', 'telephony', 'IPTV', 'video on demand'][t] ??
    `type ${t}`
  );
}

export interface Period {
  readonly id: number;
  readonly staticId: number;
  readonly start: number;
  readonly end: number;
  readonly type: number;
  readonly customDuration: number;
  readonly chargesPerWeek: number;
  readonly invoiceMonth: number;
  readonly anchor: number;
  readonly ordinal: number;
  readonly nextId: number;
  readonly isClosed: boolean;
}

export function toPeriod(r: Record<string, unknown>): Period {
  return {
    id: Number(r['id']),
    staticId: Number(r['static_id']),
    start: Number(r['start_date']),
    end: Number(r['end_date']),
    type: Number(r['periodic_type']),
    customDuration: Number(r['custom_duration']),
    chargesPerWeek: Number(r['charges_per_week']),
    invoiceMonth: Number(r['invoice_month']),
    anchor: Number(r['anchor']),
    ordinal: Number(r['ordinal']),
    nextId: Number(r['next_id']),
    isClosed: Boolean(r['is_closed']),
  };
}

export interface ServiceRow {
  readonly id: number;
  readonly name: string;
  readonly comment: string;
  readonly type: number;
  readonly status: number;
  readonly parentId: number;
  readonly tariffId: number;
  readonly linkByDefault: boolean;
  readonly multipleLinking: boolean;
  readonly cost: number;
  readonly method: number;
  readonly schemeId: number;
  readonly policyId: number;
  readonly startDate: number;
  readonly expireDate: number;
  readonly contractType: number;
  readonly dropFromGroup: number;
  readonly supplierId: number;
}

export function toService(r: Record<string, unknown>): ServiceRow {
  return {
    id: Number(r['id']),
    name: String(r['name']),
    comment: String(r['comment']),
    type: Number(r['service_type']),
    status: Number(r['status']),
    parentId: Number(r['parent_id']),
    tariffId: Number(r['tariff_id']),
    linkByDefault: Boolean(r['link_by_default']),
    multipleLinking: Boolean(r['multiple_linking']),
    cost: Number(r['cost']),
    method: Number(r['discount_method']),
    schemeId: Number(r['scheme_id']),
    policyId: Number(r['policy_id']),
    startDate: Number(r['start_date']),
    expireDate: Number(r['expire_date']),
    contractType: Number(r['contract_type']),
    dropFromGroup: Number(r['drop_from_group']),
    supplierId: Number(r['supplier_id']),
  };
}

export interface SLink {
  readonly id: number;
  readonly accountId: number;
  readonly userId: number;
  readonly serviceId: number;
  readonly tariffLinkId: number;
  readonly periodId: number;
  readonly startDate: number;
  readonly expireDate: number;
  readonly policyId: number;
  readonly costCoefE6: number;
  readonly houseId: number;
  readonly comment: string;
  readonly unabon: boolean;
  /** No prepaid traffic for this link. */
  readonly unprepay: boolean;
  readonly createdAt: number;
  readonly discountDate: number;
  readonly onceCharged: boolean;
  readonly removedAt: number;
  readonly isDeleted: boolean;
}

export function toSLink(r: Record<string, unknown>): SLink {
  return {
    id: Number(r['id']),
    accountId: Number(r['account_id']),
    userId: Number(r['user_id']),
    serviceId: Number(r['service_id']),
    tariffLinkId: Number(r['tariff_link_id']),
    periodId: Number(r['discount_period_id']),
    startDate: Number(r['start_date']),
    expireDate: Number(r['expire_date']),
    policyId: Number(r['policy_id']),
    costCoefE6: Number(r['cost_coef_e6']),
    houseId: Number(r['house_id']),
    comment: String(r['comment']),
    unabon: Boolean(r['unabon']),
    unprepay: Boolean(r['unprepay']),
    createdAt: Number(r['created_at']),
    discountDate: Number(r['discount_date']),
    onceCharged: Boolean(r['once_charged']),
    removedAt: Number(r['removed_at']),
    isDeleted: Boolean(r['is_deleted']),
  };
}

export interface TLink {
  readonly id: number;
  readonly accountId: number;
  readonly userId: number;
  readonly current: number;
  readonly next: number;
  readonly periodId: number;
  readonly linkDate: number;
}

export function toTLink(r: Record<string, unknown>): TLink {
  return {
    id: Number(r['id']),
    accountId: Number(r['account_id']),
    userId: Number(r['user_id']),
    current: Number(r['tariff_current']),
    next: Number(r['tariff_next']),
    periodId: Number(r['discount_period_id']),
    linkDate: Number(r['link_date']),
  };
}

/** What one service link owes and was charged in one accounting period (slink_periods). */
export interface LinkPeriod {
  readonly slinkId: number;
  readonly periodId: number;
  readonly ordinal: number;
  readonly charged: number;
  readonly settled: boolean;
  readonly skipped: boolean;
}

export function toLinkPeriod(r: Record<string, unknown>): LinkPeriod {
  return {
    slinkId: Number(r['slink_id']),
    periodId: Number(r['period_id']),
    ordinal: Number(r['ordinal']),
    charged: Number(r['charged']),
    settled: Boolean(r['settled']),
    skipped: Boolean(r['skipped']),
  };
}

/**
 * What usage billing (IP traffic, and later time and calls) adds to a link's life: called inside the transaction
 * that creates, settles, moves or removes a link, before the fees of that moment are final.
 */
export interface LinkHook {
  created?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, now: number): Promise<void>;
  /** The period is closing: charge what the link used in it. */
  closing?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, now: number): Promise<void>;
  /** The link moved from period p to next (its service may have changed with a tariff switch). */
  moved?(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    p: Period,
    next: Period,
    prevServiceId: number,
    now: number,
  ): Promise<void>;
  removed?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, now: number): Promise<void>;
}

/**
 * What other modules do with an account at a period boundary, inside the close's transaction (documents: the
 * invoices). `settled`: the period's fees are all charged; `opened`: the next period's start-of-period fees are.
 */
export interface PeriodHook {
  settled?(trx: Knex.Transaction, accountId: number, p: Period, now: number): Promise<void>;
  opened?(trx: Knex.Transaction, accountId: number, next: Period, now: number): Promise<void>;
  /** A one-time service was charged (the manual: it is billed as soon as it is activated). */
  onceCharged?(trx: Knex.Transaction, link: SLink, now: number): Promise<void>;
}

export interface NewPeriodicLink {
  readonly accountId: number;
  readonly serviceId: number;
  readonly tariffLinkId?: number;
  readonly periodId: number;
  readonly startDate?: number;
  readonly expireDate?: number;
  readonly policyId?: number;
  readonly costCoefE6?: number;
  readonly houseId?: number;
  readonly comment?: string;
  readonly unabon?: boolean;
  /** IP traffic links: no prepaid traffic. */
  readonly unprepay?: boolean;
}
