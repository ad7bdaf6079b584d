import { L } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import type { Period } from '../../../tariffication/model';
import { engine } from './common';

const periodList = [
  L.int('discount_periods_count'),
  L.for('i', '0', 'discount_periods_count', [
    L.int('static_id', { index: 'i' }),
    L.int('discount_period_id', { index: 'i' }),
    L.int('start_date', { index: 'i' }),
    L.int('end_date', { index: 'i' }),
    L.int('periodic_type', { index: 'i' }),
    L.int('custom_duration', { index: 'i' }),
    L.int('next_discount_period_id', { index: 'i' }),
    L.int('canonical_length', { index: 'i' }),
  ]),
];

function periodRows(ps: Period[]) {
  return {
    discount_periods_count: ps.length,
    static_id: ps.map((p) => p.staticId),
    discount_period_id: ps.map((p) => p.id),
    start_date: ps.map((p) => p.start),
    end_date: ps.map((p) => p.end),
    periodic_type: ps.map((p) => p.type),
    custom_duration: ps.map((p) => p.customDuration),
    next_discount_period_id: ps.map((p) => p.nextId),
    canonical_length: ps.map((p) => p.end - p.start),
  };
}

export const getDiscountPeriods = defineFunction(
  'rpcf_get_discount_periods',
  0x2600,
  {
    comment: 'open accounting periods; periodic_type: 1 daily, 2 weekly, 3 monthly, 4 quarterly, 5 annual, 6 custom',
    output: periodList,
  },
  async (_call, ctx) => periodRows(await engine(ctx).catalog.periods(false)),
);

export const getAllDiscountPeriods = defineFunction(
  'rpcf_get_all_discount_periods',
  0x2607,
  {
    comment: 'every accounting period, closed ones included',
    output: periodList,
  },
  async (_call, ctx) => periodRows(await engine(ctx).catalog.periods(true)),
);

export const getDiscountPeriod = defineFunction(
  'rpcf_get_discount_period',
  0x2609,
  {
    input: [L.int('discount_period_id')],
    output: [
      L.int('start_date'),
      L.int('end_date'),
      L.int('periodic_type'),
      L.int('custom_duration'),
      L.int('discounts_per_week'),
      L.int('next_discount_period_id'),
      L.int('invoice_month'),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('discount_period_id');
    const p = await engine(ctx).catalog.period(id);
    if (!p) throw new Error(`no accounting period ${id}`);
    return {
      start_date: p.start,
      end_date: p.end,
      periodic_type: p.type,
      custom_duration: p.customDuration,
      discounts_per_week: p.chargesPerWeek,
      next_discount_period_id: p.nextId,
      invoice_month: p.invoiceMonth,
    };
  },
);

/** Adds a period and arms its timers (its end, flow ticks), so it renews itself. */
async function addPeriod(
  ctx: Parameters<typeof engine>[0],
  p: Parameters<ReturnType<typeof engine>['catalog']['addPeriod']>[0],
): Promise<number> {
  const t = engine(ctx);
  const id = await t.catalog.addPeriod(p);
  await t.armPeriod((await t.catalog.period(id))!);
  return id;
}

export const addDiscountPeriod = defineFunction(
  'rpcf_add_discount_period',
  0x2603,
  {
    comment:
      'id: static id (0 a new chain); expire 0: the end follows from the type; cd: custom duration; di: charges per week',
    input: [L.int('id'), L.int('start'), L.int('expire'), L.int('periodic_type_t'), L.int('cd'), L.int('di')],
  },
  async (call, ctx) => {
    const a = call.args;
    await guarded(
      ctx,
      call,
      'add accounting period',
      () =>
        addPeriod(ctx, {
          staticId: a.int('id'),
          start: a.int('start'),
          end: a.int('expire'),
          type: a.int('periodic_type_t'),
          customDuration: a.int('cd'),
          chargesPerWeek: a.int('di'),
        }),
      () => 0,
    );
    return {};
  },
);

export const addDiscountPeriodReturn = defineFunction(
  'rpcf_add_discount_period_return',
  0x2608,
  {
    comment: 'discount_period_id 0: refused (the core log says why); discount_interval: charges per week for flow fees',
    input: [
      L.int('static_id', { default: '0' }),
      L.int('start_date'),
      L.int('expire_date', { default: '0' }),
      L.int('periodic_type', { default: '3' }),
      L.int('custom_duration', { default: '86400' }),
      L.int('discount_interval', { default: '7' }),
      L.int('invoice_month', { default: '0' }),
    ],
    output: [L.int('discount_period_id')],
    docs: {
      start_date: 'start of the first period, unix time',
      expire_date: 'its end; 0 computes it from the type',
      periodic_type: '1 daily, 2 weekly, 3 monthly, 4 quarterly, 5 annual, 6 custom',
      custom_duration: 'length of a custom period, seconds',
      discount_interval: 'flow fee charges per week',
      invoice_month: 'invoice month',
      static_id: 'static id (0: a new chain)',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = await guarded(
      ctx,
      call,
      'add accounting period',
      () =>
        addPeriod(ctx, {
          staticId: a.int('static_id'),
          start: a.int('start_date'),
          end: a.int('expire_date'),
          type: a.int('periodic_type'),
          customDuration: a.int('custom_duration'),
          chargesPerWeek: a.int('discount_interval'),
          invoiceMonth: a.int('invoice_month'),
        }),
      () => 0,
    );
    return { discount_period_id: id };
  },
);

export const expireDiscountPeriod = defineFunction(
  'rpcf_expire_discount_period',
  0x2606,
  {
    comment: 'closes the accounting period now: fees are settled and the next period of its chain starts',
    input: [L.int('dpid')],
  },
  async (call, ctx) => {
    const id = call.args.int('dpid');
    await guarded(
      ctx,
      call,
      `expire accounting period ${id}`,
      () => engine(ctx).expirePeriod(id),
      () => undefined,
    );
    return {};
  },
);
