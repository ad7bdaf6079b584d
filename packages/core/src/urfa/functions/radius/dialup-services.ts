import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import { defineFunction, guarded, type CoreFunction, type HandlerContext } from '../../core-function';
import { ServiceType, type ServiceRow } from '../../../tariffication/model';
import { refusal } from '../tariffication/common';
import { radius } from './common';
import {
  noteIgnored,
  readPrices,
  requireTimeService,
  saveTimeService,
  timeService,
  timeServiceView,
} from './time-services';

const PRICES: LayoutNode[] = [
  // The reference counts the loop with size(range_id), which only a client can evaluate; cost_size (defaulted to
  // that size) is the same on the wire.
  L.int('cost_size', { default: 'size(range_id)' }),
  L.for('i', '0', 'cost_size', [L.double('range_cost', { index: 'i' }), L.int('range_id', { index: 'i' })]),
];

/** The fields after contract_type in the _ex add and edit functions. */
const EX_INPUT: LayoutNode[] = [
  L.int('parent_id'),
  L.int('tariff_id'),
  L.str('service_name'),
  L.str('comment'),
  L.int('link_by_default'),
  L.int('is_dynamic'),
  L.int('contract_type'),
  L.int('discount_method'),
  L.double('cost'),
  L.str('pool_name'),
  L.int('max_timeout'),
  L.int('radius_sessions_limit'),
  L.str('login_prefix'),
  ...PRICES,
];

const COMMENT =
  'cost: periodic fee, charged by discount_method (1 at the period start, 2 at its end, 3 flow); range_cost: price per hour of ' +
  'connection during time range range_id (at least one; the range of highest priority in force wins; time is charged to the second); ' +
  'pool_name: IP pool utm5_radius takes addresses from (a name it does not know is sent to the NAS as is); radius_sessions_limit: ' +
  "simultaneous sessions per login (0 unlimited); is_dynamic: an Accounting-Start binds the session address to the account's IP traffic " +
  'link with dynamic addresses (one such dial-up/hotspot link per account); max_timeout: the longest session in seconds (caps ' +
  'Session-Timeout; 0 none); login_prefix: put before the login of each new link (lower-cased)';

/** Adds (service_id 0) or edits a dial-up service from any of the three input layouts; returns its id. */
async function saveDialup(
  ctx: HandlerContext,
  call: Parameters<CoreFunction['handler']>[0],
  id: number,
  dates: boolean,
): Promise<number> {
  const a: CallArgs = call.args;
  const prev = id === 0 ? undefined : await requireTimeService(ctx, id, ServiceType.DIALUP);
  const s = timeService(a, ServiceType.DIALUP, prev, { parent: 'parent_id', dates });
  const where = `dial-up service '${s.name}'`;
  const saved = await saveTimeService(ctx, prev, s, {
    poolName: a.str('pool_name'),
    maxSessions: a.int('radius_sessions_limit'),
    isDynamic: a.int('is_dynamic') !== 0,
    maxTimeout: a.int('max_timeout'),
    loginPrefix: a.str('login_prefix'),
    prices: readPrices(a, where, { count: 'cost_size', cost: 'range_cost', range: 'range_id' }),
  });
  noteIgnored(ctx, call, `${where} (${saved})`, [
    // Only rpcf_add_dialup_service (the layout with dates) carries these two.
    dates && a.int('periodic_param') !== 0 && `periodic_param ${a.int('periodic_param')}`,
    dates && a.int('null_service_prepaid') !== 0 && 'null_service_prepaid',
  ]);
  return saved;
}

export const addDialupService = defineFunction(
  'rpcf_add_dialup_service',
  0x220d,
  {
    comment:
      'service_id 0 adds a service, otherwise edits that dial-up service (its status, parent and tariff plan do not change); parent_id -1 ' +
      `adds a template, tariff_id > 0 a tariff plan service made from template parent_id; result: the service id, or -1 a bad value or no such ` +
      `service, -3 refused otherwise (the core log says why); periodic_param and null_service_prepaid are not kept. ${COMMENT}`,
    input: [
      L.int('parent_id'),
      L.int('tariff_id'),
      L.int('service_id'),
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.int('is_dynamic'),
      L.int('contract_type'),
      L.int('periodic_param', { default: '0' }),
      L.int('discount_method'),
      L.double('cost'),
      L.int('start_date'),
      L.int('expire_date'),
      L.str('pool_name'),
      L.int('max_timeout'),
      L.int('null_service_prepaid'),
      L.int('radius_sessions_limit'),
      L.str('login_prefix'),
      ...PRICES,
    ],
    output: [L.int('result')],
    docs: {
      range_cost: 'price per hour during time range range_id',
      radius_sessions_limit: 'simultaneous sessions per login (0 unlimited)',
    },
  },
  async (call, ctx) => {
    const id = call.args.int('service_id');
    const what = id === 0 ? `add dial-up service '${call.args.str('service_name')}'` : `edit dial-up service ${id}`;
    return { result: await guarded(ctx, call, what, () => saveDialup(ctx, call, id, true), refusal) };
  },
);

export const addDialupServiceEx = defineFunction(
  'rpcf_add_dialup_service_ex',
  0x1508,
  {
    comment: `parent_id -1 adds a template, tariff_id > 0 a tariff plan service made from template parent_id; service_id 0: refused (the core log says why). ${COMMENT}`,
    input: EX_INPUT,
    output: [L.int('service_id')],
  },
  async (call, ctx) => ({
    service_id: await guarded(
      ctx,
      call,
      `add dial-up service '${call.args.str('service_name')}'`,
      () => saveDialup(ctx, call, 0, false),
      () => 0,
    ),
  }),
);

export const editDialupServiceEx = defineFunction(
  'rpcf_edit_dialup_service_ex',
  0x1509,
  {
    comment: `the status, parent and tariff plan of a service do not change; service_id 0: refused (the core log says why). ${COMMENT}`,
    input: [L.int('service_id'), ...EX_INPUT],
    output: [L.int('service_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('service_id');
    return {
      service_id: await guarded(
        ctx,
        call,
        `edit dial-up service ${id}`,
        () => saveDialup(ctx, call, id, false),
        () => 0,
      ),
    };
  },
);

const GET_COMMENT =
  'per time range: tr_time its name, param the price per hour, id the range; is_parent_id 1: a template; ' +
  'null_service_prepaid and deprecated are 0; an unknown sid ends the call without data';
const PRICE_ROWS = [
  L.int('cost_size'),
  L.for('i', '0', 'cost_size', [
    L.str('tr_time', { index: 'i' }),
    L.double('param', { index: 'i' }),
    L.int('id', { index: 'i' }),
  ]),
];
const TAIL = [L.int('is_parent_id'), L.int('tariff_id'), L.int('parent_id')];

async function dialupView(ctx: HandlerContext, sid: number) {
  const s: ServiceRow = await requireTimeService(ctx, sid, ServiceType.DIALUP);
  const v = await timeServiceView(ctx, s);
  const p = await radius(ctx).dialupParams(sid);
  return { ...v, max_timeout: p?.maxTimeout ?? 0, login_prefix: p?.loginPrefix ?? '', param: v.price, id: v.range };
}

export const getDialupService = defineFunction(
  'rpcf_get_dialup_service',
  0x210c,
  {
    comment: GET_COMMENT,
    input: [L.int('sid')],
    output: [
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.int('is_dynamic'),
      L.double('cost'),
      L.int('deprecated'),
      L.int('discount_method'),
      L.int('start_date'),
      L.int('expire_date'),
      L.str('pool_name'),
      L.int('max_timeout'),
      L.int('null_service_prepaid'),
      L.int('radius_sessions_limit'),
      L.str('login_prefix'),
      ...PRICE_ROWS,
      ...TAIL,
    ],
  },
  async (call, ctx) => dialupView(ctx, call.args.int('sid')),
);

export const getDialupServiceEx = defineFunction(
  'rpcf_get_dialup_service_ex',
  0x2233,
  {
    comment: GET_COMMENT,
    input: [L.int('sid')],
    output: [
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.int('is_dynamic'),
      L.int('contract_type'),
      L.double('cost'),
      L.int('deprecated'),
      L.int('discount_method'),
      L.str('pool_name'),
      L.int('max_timeout'),
      L.int('null_service_prepaid'),
      L.int('radius_sessions_limit'),
      L.str('login_prefix'),
      ...PRICE_ROWS,
      ...TAIL,
    ],
  },
  async (call, ctx) => dialupView(ctx, call.args.int('sid')),
);
