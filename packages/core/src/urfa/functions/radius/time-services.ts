import type { CallArgs } from '@utm5/protocol';
import type { NewService } from '../../../tariffication/catalog';
import { ServiceStatus, serviceTypeName, type ServiceRow } from '../../../tariffication/model';
import { engine, micro, money } from '../tariffication/common';
import { placement, saveServiceWithPart } from '../tariffication/service-part';
import { badInput } from '../traffic/common';
import { radius } from './common';
import type { TimeServiceParams } from '../../../radius/catalog';
import type { AllowedNet } from '../../../radius/hotspot-networks';
import type { HandlerContext } from '../../core-function';

export async function requireTimeService(ctx: HandlerContext, id: number, type: number): Promise<ServiceRow> {
  const s = await engine(ctx).catalog.service(id);
  if (!s || s.type !== type) throw new Error(`no ${serviceTypeName(type)} service ${id}`);
  return s;
}

/**
 * The service row of a dial-up or hotspot add/edit function: the periodic fee (cost, discount_method) goes to the
 * tariffication catalog as for any periodic service. `parent` names the input holding parent_id (hotspot's is
 * 'fictive'); start_date/expire_date where the function carries them, else an edit keeps the service's.
 */
export function timeService(
  a: CallArgs,
  type: number,
  prev: ServiceRow | undefined,
  o: { parent: string; dates: boolean },
): NewService {
  return {
    name: a.str('service_name'),
    comment: a.str('comment'),
    type,
    linkByDefault: a.int('link_by_default') !== 0,
    cost: micro(a.double('cost')),
    method: a.int('discount_method'),
    ...placement(prev, a.int(o.parent), a.int('tariff_id')),
    contractType: a.int('contract_type'),
    ...(o.dates
      ? { startDate: a.int('start_date'), expireDate: a.int('expire_date') }
      : prev
        ? { startDate: prev.startDate, expireDate: prev.expireDate }
        : {}),
  };
}

/** Prices per hour by time range from a loop of (cost, range id) rows; the manual wants at least one. */
export function readPrices(
  a: CallArgs,
  where: string,
  names: { count: string; cost: string; range: string },
): TimeServiceParams['prices'] {
  const n = a.int(names.count);
  if (n < 1) throw badInput(`${where}: needs at least one price per hour (a time range and its price)`);
  const prices = Array.from({ length: n }, (_, i) => ({
    rangeId: a.int(names.range, i),
    pricePerHour: micro(a.double(names.cost, i)),
  }));
  const dup = prices.find((p, i) => prices.findIndex((q) => q.rangeId === p.rangeId) !== i);
  if (dup) throw badInput(`${where}: time range ${dup.rangeId} is priced twice`);
  return prices;
}

/**
 * Adds or edits a dial-up/hotspot service: the row, then its RADIUS part (with a hotspot's allowed networks `nets`)
 * in one transaction (a refused part undoes the row).
 */
export function saveTimeService(
  ctx: HandlerContext,
  prev: ServiceRow | undefined,
  s: NewService,
  p: TimeServiceParams,
  nets?: readonly AllowedNet[],
): Promise<number> {
  return saveServiceWithPart(ctx, prev, s, (trx, id) => radius(ctx).setTimeServicePart(trx, id, p, nets));
}

/**
 * What the get functions answer of a dial-up/hotspot service, under the wire names both use; the price rows come
 * three ways (tr_time is the time range's name) as the two functions name them differently.
 */
export async function timeServiceView(ctx: HandlerContext, s: ServiceRow) {
  const p = await radius(ctx).dialupParams(s.id);
  const prices = p?.prices ?? [];
  const names = new Map((await engine(ctx).catalog.timeRanges()).map((r) => [r.id, r.name]));
  return {
    service_name: s.name,
    comment: s.comment,
    link_by_default: s.linkByDefault ? 1 : 0,
    is_dynamic: p?.isDynamic ? 1 : 0,
    contract_type: s.contractType,
    cost: money(s.cost),
    deprecated: 0,
    discount_method: s.method,
    start_date: s.startDate,
    expire_date: s.expireDate,
    pool_name: p?.poolName ?? '',
    null_service_prepaid: 0,
    radius_sessions_limit: p?.maxSessions ?? 0,
    cost_size: prices.length,
    tr_time: prices.map((x) => names.get(x.rangeId) ?? ''),
    price: prices.map((x) => money(x.pricePerHour)),
    range: prices.map((x) => x.rangeId),
    is_parent_id: s.status === ServiceStatus.TEMPLATE ? 1 : 0,
    tariff_id: s.tariffId,
    parent_id: s.parentId,
  };
}

/** Inputs UTM5-TS does not keep, logged when they carry something, as a script would otherwise not know. */
export function noteIgnored(
  ctx: HandlerContext,
  call: { principal: { login: string }; peer: string },
  subject: string,
  items: readonly (string | false)[],
): void {
  const list = items.filter((x): x is string => Boolean(x));
  if (list.length > 0)
    ctx.log
      .child({ component: 'urfa' })
      .notice(`${call.principal.login}@${call.peer}: ${subject}: ${list.join(', ')} not kept by UTM5-TS`);
}
