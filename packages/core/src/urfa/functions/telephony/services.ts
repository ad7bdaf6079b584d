import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type CoreFunction, type HandlerContext } from '../../core-function';
import type { TelServiceDef } from '../../../telephony/catalog';
import { ServiceType } from '../../../tariffication/model';
import { micro, money } from '../tariffication/common';
import { noteIgnored, requireTimeService, timeService } from '../radius/time-services';
import { num2, settled, tel } from './common';

const CLASSES = (): LayoutNode[] => [
  L.int('tariff_class_count'),
  L.for('i', '0', 'tariff_class_count', [
    L.int('tariff_class', { index: 'i' }),
    // A loop count is read without an index, so the per-class counts travel as UTM5's users list keeps its per-row
    // counts: border_count for this class, kept in border_count_array[i] (likewise timerange_count); the wire is UTM5's.
    L.int('border_count'),
    L.set({ dst: 'border_count_array', src: 'border_count', dstIndex: 'i' }),
    L.for('j', '0', 'border_count', [L.int('border', { index: 'i,j' }), L.double('cost_mult', { index: 'i,j' })]),
    L.int('timerange_count'),
    L.set({ dst: 'timerange_count_array', src: 'timerange_count', dstIndex: 'i' }),
    L.for('j', '0', 'timerange_count', [L.int('timerange_id', { index: 'i,j' }), L.double('cost', { index: 'i,j' })]),
    L.int('prepaid_array', { index: 'i' }),
    L.double('fixed_cost_array', { index: 'i' }),
  ]),
];

const TAIL: LayoutNode[] = [
  L.int('free_time'),
  L.int('first_period_length'),
  L.int('first_period_step'),
  L.int('second_period_step'),
  L.int('time_unit_size'),
  L.int('discount_free_time'),
  L.double('minimum_charge'),
];

const HEAD: LayoutNode[] = [
  L.int('parent_id'),
  L.int('tariff_id'),
  L.str('service_name'),
  L.str('comment'),
  L.int('link_by_default'),
  L.int('is_dynamic'),
  L.int('contract_type'),
  L.double('cost'),
  // The service's fee and its classes' prices share the reference's name 'cost' (cost[0] and cost[i][j]); a caller
  // holding them apart gives the fee as service_cost (UTM5's <set> pattern), the wire is UTM5's.
  L.set({ dst: 'service_cost', src: 'cost', dstIndex: '0' }),
  L.int('discount_method'),
  L.int('radius_sessions_limit'),
];

const COMMENT =
  'cost: periodic fee by discount_method (1 period start, 2 end, 3 flow); tariff_class: a zone id, or minus a direction ' +
  "id (a direction's own class wins over its zone's; at least one class); border: from this many seconds of the class's " +
  'calls in the period on, prices are multiplied by cost_mult; cost: price per time_unit_size seconds during time range ' +
  'timerange_id (highest priority in force wins; none in force: free); prepaid_array: free seconds of the class per ' +
  'period; fixed_cost_array: charged once per call; free_time: calls up to this many seconds cost nothing; calls are ' +
  'rounded up to first_period_step seconds within first_period_length, to second_period_step after it; ' +
  'discount_free_time 1: prepaid seconds count towards the borders; minimum_charge: per period; radius_sessions_limit: ' +
  'simultaneous calls per link (0 unlimited); is_dynamic is not kept; the fee is cost[0] (or service_cost), the ' +
  'classes prices cost[i][j]';

function telDef(a: CallArgs): TelServiceDef {
  return {
    freeTime: a.int('free_time'),
    firstPeriodLength: a.int('first_period_length'),
    firstPeriodStep: a.int('first_period_step'),
    secondPeriodStep: a.int('second_period_step'),
    unitSize: a.int('time_unit_size'),
    discountFreeTime: a.int('discount_free_time') !== 0,
    minimumCharge: micro(a.double('minimum_charge')),
    maxSessions: a.int('radius_sessions_limit'),
    classes: Array.from({ length: a.int('tariff_class_count') }, (_, i) => ({
      tariffClass: a.int('tariff_class', i),
      borders: Array.from({ length: a.int('border_count_array', i) }, (_, j) => ({
        border: num2(a, 'border', i, j),
        mult: num2(a, 'cost_mult', i, j),
      })),
      prices: Array.from({ length: a.int('timerange_count_array', i) }, (_, j) => ({
        rangeId: num2(a, 'timerange_id', i, j),
        price: micro(num2(a, 'cost', i, j)),
      })),
      prepaid: a.int('prepaid_array', i),
      fixedCost: micro(a.double('fixed_cost_array', i)),
    })),
  };
}

async function save(ctx: HandlerContext, call: Parameters<CoreFunction['handler']>[0], id: number): Promise<number> {
  const a = call.args;
  const prev = id === 0 ? undefined : await requireTimeService(ctx, id, ServiceType.TELEPHONY);
  const s = timeService(a, ServiceType.TELEPHONY, prev, { parent: 'parent_id', dates: false });
  const saved = await tel(ctx).saveService(actorOf(call), prev, s, telDef(a));
  noteIgnored(ctx, call, `telephony service '${s.name}' (${saved})`, [a.int('is_dynamic') !== 0 && 'is_dynamic']);
  return settled(ctx, saved);
}

export const addTelService = defineFunction(
  'rpcf_add_tel_service',
  0x1043d,
  {
    comment: `parent_id -1 adds a template, tariff_id > 0 a tariff plan service made from template parent_id; service_id 0: refused (the core log says why); ${COMMENT}`,
    input: [...HEAD, ...CLASSES(), ...TAIL],
    output: [L.int('service_id')],
    docs: { tariff_class: 'zone id, or minus a direction id', cost: 'fee; in the classes: price per time unit' },
  },
  async (call, ctx) => ({
    service_id: await guarded(
      ctx,
      call,
      `add telephony service '${call.args.str('service_name')}'`,
      () => save(ctx, call, 0),
      () => 0,
    ),
  }),
);

export const editTelService = defineFunction(
  'rpcf_edit_tel_service',
  0x1043e,
  {
    comment: `the status, parent and tariff plan of a service do not change; the classes replace the old ones; service_id 0: refused (the core log says why); ${COMMENT}`,
    input: [L.int('service_id'), ...HEAD, ...CLASSES(), ...TAIL],
    output: [L.int('service_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('service_id');
    return {
      service_id: await guarded(
        ctx,
        call,
        `edit telephony service ${id}`,
        () => (id === 0 ? Promise.reject(new Error('service_id 0')) : save(ctx, call, id)),
        () => 0,
      ),
    };
  },
);

export const getTelService = defineFunction(
  'rpcf_get_tel_service',
  0x1043f,
  {
    comment:
      'classes zones first (ascending), then directions; the fee is cost (cost[0], also service_cost), the classes ' +
      'prices cost[i][j]; an unknown service_id ends the call without data',
    input: [L.int('service_id')],
    output: [L.int('service_id'), ...HEAD, L.int('scheme_id'), ...CLASSES(), ...TAIL],
  },
  async (call, ctx) => {
    const s = await requireTimeService(ctx, call.args.int('service_id'), ServiceType.TELEPHONY);
    const t = await tel(ctx).service(s.id);
    if (!t) throw new Error(`telephony service ${s.id} has no telephony part`);
    const cs = t.classes;
    return {
      service_id: s.id,
      parent_id: s.parentId,
      tariff_id: s.tariffId,
      service_name: s.name,
      comment: s.comment,
      link_by_default: s.linkByDefault ? 1 : 0,
      is_dynamic: 0,
      contract_type: s.contractType,
      service_cost: money(s.cost),
      cost: cs.map((c) => c.prices.map((p) => money(p.price))),
      discount_method: s.method,
      radius_sessions_limit: t.maxSessions,
      scheme_id: s.schemeId,
      tariff_class_count: cs.length,
      tariff_class: cs.map((c) => c.tariffClass),
      border_count_array: cs.map((c) => c.borders.length),
      border: cs.map((c) => c.borders.map((b) => b.border)),
      cost_mult: cs.map((c) => c.borders.map((b) => b.mult)),
      timerange_count_array: cs.map((c) => c.prices.length),
      timerange_id: cs.map((c) => c.prices.map((p) => p.rangeId)),
      prepaid_array: cs.map((c) => c.prepaid),
      fixed_cost_array: cs.map((c) => money(c.fixedCost)),
      free_time: t.freeTime,
      first_period_length: t.firstPeriodLength,
      first_period_step: t.firstPeriodStep,
      second_period_step: t.secondPeriodStep,
      time_unit_size: t.unitSize,
      discount_free_time: t.discountFreeTime ? 1 : 0,
      minimum_charge: money(t.minimumCharge),
    };
  },
);
