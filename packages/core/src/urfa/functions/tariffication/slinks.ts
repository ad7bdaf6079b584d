import { L } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import type { SLink } from '../../../tariffication/model';
import { coef, coefE6, engine, money } from './common';

async function requireLink(ctx: HandlerContext, id: number): Promise<SLink> {
  const l = await engine(ctx).catalog.links.get(id);
  if (!l) throw new Error(`no service link ${id}`);
  return l;
}

export const addPeriodicSlinkEx = defineFunction(
  'rpcf_add_periodic_slink_ex',
  0x2946,
  {
    comment:
      'links a periodic service (of any type but one-time) to an account; user_id is taken from the account; ' +
      "policy_id 0: the service's policy; slink_id 0: refused (the core log says why)",
    input: [
      L.int('user_id'),
      L.int('account_id'),
      L.int('service_id'),
      L.int('tariff_link_id', { default: '0' }),
      L.int('discount_period_id'),
      L.int('start_date', { default: 'now()' }),
      L.int('expire_date', { default: 'max_time()' }),
      L.int('policy_id'),
      L.int('house_id', { default: '0' }),
      L.str('comment', { default: '' }),
      L.int('unabon', { default: '0' }),
      L.double('cost_coef', { default: '1' }),
    ],
    output: [L.int('slink_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const accountId = a.int('account_id');
    return {
      slink_id: await guarded(
        ctx,
        call,
        `link service ${a.int('service_id')} to account ${accountId}`,
        () =>
          engine(ctx).addPeriodicLink(actorOf(call), {
            accountId,
            serviceId: a.int('service_id'),
            tariffLinkId: a.int('tariff_link_id'),
            periodId: a.int('discount_period_id'),
            startDate: a.int('start_date'),
            expireDate: a.int('expire_date'),
            policyId: a.int('policy_id'),
            houseId: a.int('house_id'),
            comment: a.str('comment'),
            unabon: a.int('unabon') !== 0,
            costCoefE6: coefE6(a.double('cost_coef')),
          }),
        () => 0,
      ),
    };
  },
);

export const editPeriodicSlinkEx = defineFunction(
  'rpcf_edit_periodic_slink_ex',
  0x2947,
  {
    comment: "policy_id 0 keeps the link's policy; slink_id 0: refused (the core log says why)",
    input: [
      L.int('slink_id', { default: '0' }),
      L.int('start_date', { default: 'now()' }),
      L.int('expire_date', { default: 'max_time()' }),
      L.int('policy_id'),
      L.double('cost_coef'),
      L.int('house_id', { default: '0' }),
      L.str('comment', { default: '' }),
    ],
    output: [L.int('slink_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('slink_id');
    return {
      slink_id: await guarded(
        ctx,
        call,
        `edit service link ${id}`,
        async () => {
          await engine(ctx).editPeriodicLink(actorOf(call), id, {
            startDate: a.int('start_date'),
            expireDate: a.int('expire_date'),
            policyId: a.int('policy_id'),
            costCoefE6: coefE6(a.double('cost_coef')),
            houseId: a.int('house_id'),
            comment: a.str('comment'),
          });
          return id;
        },
        () => 0,
      ),
    };
  },
);

export const getPeriodicServiceLink = defineFunction(
  'rpcf_get_periodic_service_link',
  0x272a,
  {
    comment: "is_blocked: the account's block type (0 none); is_unprepay_period is always 0",
    input: [L.int('slink_id')],
    output: [
      L.int('tariff_link_id'),
      L.int('is_blocked'),
      L.int('discount_period_id'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('policy_id'),
      L.double('cost_coef'),
      L.int('is_unabon_period'),
      L.int('is_unprepay_period'),
      L.int('house_id'),
      L.str('comment'),
      L.int('tariff_id'),
      L.int('parent_id'),
    ],
  },
  async (call, ctx) => {
    const l = await requireLink(ctx, call.args.int('slink_id'));
    const svc = await engine(ctx).catalog.service(l.serviceId);
    const acc = await ctx.billing.accounts.require(l.accountId);
    return {
      tariff_link_id: l.tariffLinkId,
      is_blocked: acc.blockType,
      discount_period_id: l.periodId,
      start_date: l.startDate,
      expire_date: l.expireDate,
      policy_id: l.policyId,
      cost_coef: coef(l.costCoefE6),
      is_unabon_period: l.unabon ? 1 : 0,
      is_unprepay_period: 0,
      house_id: l.houseId,
      comment: l.comment,
      tariff_id: svc?.tariffId ?? 0,
      parent_id: svc?.parentId ?? 0,
    };
  },
);

export const addOnceSlinkEx = defineFunction(
  'rpcf_add_once_slink_ex',
  0x2920,
  {
    comment:
      'a one-time service is charged at discount_date (now or later); user_id is taken from the account; slink_id 0: refused',
    input: [
      L.int('user_id'),
      L.int('account_id'),
      L.int('service_id'),
      L.int('tariff_link_id', { default: '0' }),
      L.int('discount_date', { default: 'now()' }),
      L.double('cost_coef', { default: '1.0' }),
    ],
    output: [L.int('slink_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const accountId = a.int('account_id');
    return {
      slink_id: await guarded(
        ctx,
        call,
        `link one-time service ${a.int('service_id')} to account ${accountId}`,
        () =>
          engine(ctx).addOnceLink(actorOf(call), {
            accountId,
            serviceId: a.int('service_id'),
            tariffLinkId: a.int('tariff_link_id'),
            discountDate: a.int('discount_date'),
            costCoefE6: coefE6(a.double('cost_coef')),
          }),
        () => 0,
      ),
    };
  },
);

export const editOnceSlinkEx = defineFunction(
  'rpcf_edit_once_slink_ex',
  0x2921,
  {
    comment: 'only a one-time link not charged yet changes; slink_id 0: refused',
    input: [
      L.int('slink_id', { default: '0' }),
      L.int('discount_date', { default: 'now()' }),
      L.double('cost_coef', { default: '1.0' }),
    ],
    output: [L.int('slink_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('slink_id');
    return {
      slink_id: await guarded(
        ctx,
        call,
        `edit one-time service link ${id}`,
        async () => {
          await engine(ctx).editOnceLink(actorOf(call), id, a.int('discount_date'), coefE6(a.double('cost_coef')));
          return id;
        },
        () => 0,
      ),
    };
  },
);

export const getOnceServiceLink = defineFunction(
  'rpcf_get_once_service_link',
  0x2704,
  {
    input: [L.int('slink_id')],
    output: [L.int('discount_date')],
  },
  async (call, ctx) => ({ discount_date: (await requireLink(ctx, call.args.int('slink_id'))).discountDate }),
);

export const deleteSlink = defineFunction(
  'rpcf_delete_slink',
  0x5100,
  {
    comment: 'fees at the end of the period and flow fees are charged up to now; refunds follow the charge policy',
    input: [L.int('slink_id')],
    output: [L.int('error_code'), L.if('error_code', 'ne', '0', [L.error('13', 'unable to delete service link')])],
  },
  async (call, ctx) => {
    const id = call.args.int('slink_id');
    return {
      error_code: await guarded(
        ctx,
        call,
        `delete service link ${id}`,
        async () => {
          await engine(ctx).deleteLink(actorOf(call), id);
          return 0;
        },
        () => 1,
      ),
    };
  },
);

export const getAllServicesForUser = defineFunction(
  'rpcf_get_all_services_for_user',
  0x2700,
  {
    comment:
      "the service links of an account in force; service_cost_array is the service cost times the link's coefficient",
    input: [L.int('account_id')],
    output: [
      L.int('slink_id_count'),
      L.for('i', '0', 'slink_id_count', [
        // Not in the reference: this set, which carries nothing on the wire, lets the core write service_id row by row
        // from service_id_array (the reference keeps it only inside the if below).
        L.int('service_id'),
        L.set({ src: 'service_id', dst: 'service_id_array', dstIndex: 'i' }),
        L.if('service_id', 'ne', '-1', [
          L.set({ src: 'service_id', dst: 'service_id_array', dstIndex: 'i' }),
          L.int('service_type_array', { index: 'i' }),
          L.str('service_name_array', { index: 'i' }),
          L.str('tariff_name_array', { index: 'i' }),
          L.double('service_cost_array', { index: 'i' }),
          L.int('slink_id_array', { index: 'i' }),
          L.int('discount_period_id_array', { index: 'i' }),
        ]),
        L.if(
          'service_id',
          'eq',
          '-1',
          [
            'service_id_array',
            'service_type_array',
            'service_name_array',
            'tariff_name_array',
            'service_cost_array',
            'slink_id_array',
            'discount_period_id_array',
          ].map((dst) => L.set({ dst, dstIndex: 'i', value: dst.endsWith('name_array') ? '' : '-1' })),
        ),
      ]),
    ],
  },
  async (call, ctx) => {
    const ls = await engine(ctx).catalog.links.ofAccount(call.args.int('account_id'));
    return {
      slink_id_count: ls.length,
      service_id_array: ls.map((l) => l.serviceId),
      service_type_array: ls.map((l) => l.serviceType),
      service_name_array: ls.map((l) => l.serviceName),
      tariff_name_array: ls.map((l) => l.tariffName),
      service_cost_array: ls.map((l) => money(Math.round((l.serviceCost * l.costCoefE6) / 1e6))),
      slink_id_array: ls.map((l) => l.id),
      discount_period_id_array: ls.map((l) => l.periodId),
    };
  },
);

export const getPeriodicLinkStats = defineFunction(
  'rpcf_get_periodic_link_stats',
  0x15108,
  {
    comment:
      'result -1: no such periodic link; charged and repaid are the fee of the current period; the recalculation spans are 0',
    input: [L.int('slink_id')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '-1', [
        L.int('is_active'),
        L.int('fee_recalc_start'),
        L.int('fee_recalc_duration'),
        L.int('ip_recalc_start'),
        L.int('ip_recalc_durtation'),
        L.int('tel_recalc_start'),
        L.int('tel_recalc_duration'),
        L.double('charged'),
        L.double('repaid'),
      ]),
    ],
  },
  async (call, ctx) => {
    const links = engine(ctx).catalog.links;
    const l = await links.get(call.args.int('slink_id'));
    if (!l || l.periodId === 0) return { result: -1 };
    const lp = await links.periodFees(l.id, l.periodId);
    const now = ctx.clock.now();
    return {
      result: 0,
      is_active: l.startDate <= now && now < l.expireDate ? 1 : 0,
      fee_recalc_start: 0,
      fee_recalc_duration: 0,
      ip_recalc_start: 0,
      ip_recalc_durtation: 0,
      tel_recalc_start: 0,
      tel_recalc_duration: 0,
      charged: money(lp?.charged ?? 0),
      repaid: money(lp?.repaid ?? 0),
    };
  },
);
