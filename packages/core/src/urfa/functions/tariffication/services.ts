// Over ~400 lines: the service functions of every service type with their api.xml layouts.
import { L } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import type { NewService } from '../../../tariffication/catalog';
import { ServiceStatus, ServiceType, type ServiceRow } from '../../../tariffication/model';
import { engine, micro, money, refusal, RESULT_COMMENT } from './common';
import type { CallArgs } from '@utm5/protocol';

/** parent_id -1 in UTM5's add functions makes a template; with tariff_id > 0 it names the template of a plan service. */
export const TEMPLATE_PARENT = -1;

const SERVICE_COMMENT =
  'parent_id -1 adds a template; tariff_id > 0 adds a tariff plan service made from template parent_id; both 0 a common service';

export function statusOf(parentId: number, tariffId: number): number {
  return tariffId > 0
    ? ServiceStatus.TARIFF
    : parentId === TEMPLATE_PARENT
      ? ServiceStatus.TEMPLATE
      : ServiceStatus.COMMON;
}

/** The common part of the _ex add and edit functions (contract_type is kept, as is; UTM5 uses it for documents). */
function serviceFrom(a: CallArgs, type: number, extra: Partial<NewService>): NewService {
  const parentId = a.int('parent_id');
  const tariffId = a.int('tariff_id');
  return {
    name: a.str('service_name'),
    comment: a.str('comment'),
    type,
    status: statusOf(parentId, tariffId),
    parentId: Math.max(0, parentId),
    tariffId,
    linkByDefault: a.int('link_by_default') !== 0,
    contractType: a.int('contract_type'),
    cost: micro(a.double('cost')),
    ...extra,
  };
}

async function requireService(ctx: Parameters<typeof engine>[0], id: number, type?: number): Promise<ServiceRow> {
  const s = await engine(ctx).catalog.service(id);
  if (!s || (type !== undefined && s.type !== type))
    throw new Error(
      `no ${type === ServiceType.ONCE ? 'one-time ' : type === ServiceType.PERIODIC ? 'periodic ' : ''}service ${id}`,
    );
  return s;
}

export const getServicesList = defineFunction(
  'rpcf_get_services_list',
  0x2101,
  {
    comment:
      'which_service: -1 all, else a service type (1 one-time, 2 periodic, 3 IP traffic, 4 hotspot, 5 dial-up, 6 telephony, 7 IPTV, 8 VoD); ' +
      'service_status: 0 common, 1 template, 2 tariff plan service',
    input: [L.int('which_service', { default: '-1' })],
    output: [
      L.int('services_count'),
      L.for('i', '0', 'services_count', [
        L.int('service_id_array', { index: 'i' }),
        L.str('service_name_array', { index: 'i' }),
        L.int('service_type_array', { index: 'i' }),
        L.str('service_comment_array', { index: 'i' }),
        L.int('service_status_array', { index: 'i' }),
        L.set({ src: 'service_status_array', srcIndex: 'i', dst: 'service_status' }),
        L.if('service_status', 'eq', '2', [L.str('tariff_name_array', { index: 'i' })]),
        L.if('service_status', 'ne', '2', [L.set({ dst: 'tariff_name_array', dstIndex: 'i', value: '' })]),
      ]),
    ],
  },
  async (call, ctx) => {
    const cat = engine(ctx).catalog;
    const ss = await cat.services(call.args.int('which_service'));
    const names = new Map((await cat.tariffs()).map((t) => [Number(t['id']), String(t['name'])]));
    return {
      services_count: ss.length,
      service_id_array: ss.map((s) => s.id),
      service_name_array: ss.map((s) => s.name),
      service_type_array: ss.map((s) => s.type),
      service_comment_array: ss.map((s) => s.comment),
      service_status_array: ss.map((s) => s.status),
      tariff_name_array: ss.map((s) => (s.status === ServiceStatus.TARIFF ? (names.get(s.tariffId) ?? '') : '')),
    };
  },
);

const periodicInput = [
  L.int('parent_id'),
  L.int('tariff_id'),
  L.str('service_name'),
  L.str('comment'),
  L.int('link_by_default'),
  L.int('contract_type'),
  L.double('cost'),
  L.int('discount_method'),
  L.int('scheme_id'),
];

export const addPeriodicServiceEx = defineFunction(
  'rpcf_add_periodic_service_ex',
  0x1522,
  {
    comment: `${SERVICE_COMMENT}; discount_method: 1 at the period start, 2 at its end, 3 flow; service_id 0: refused (see the core log)`,
    input: periodicInput,
    output: [L.int('service_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const s = serviceFrom(a, ServiceType.PERIODIC, { method: a.int('discount_method'), schemeId: a.int('scheme_id') });
    return {
      service_id: await guarded(
        ctx,
        call,
        `add periodic service '${s.name}'`,
        () => engine(ctx).catalog.addService(s),
        () => 0,
      ),
    };
  },
);

export const editPeriodicServiceEx = defineFunction(
  'rpcf_edit_periodic_service_ex',
  0x1523,
  {
    comment:
      'the type, status, parent and tariff plan of a service do not change; service_id 0: refused (see the core log)',
    input: [L.int('service_id'), ...periodicInput],
    output: [L.int('service_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('service_id');
    return {
      service_id: await guarded(
        ctx,
        call,
        `edit periodic service ${id}`,
        async () => {
          const cur = await requireService(ctx, id, ServiceType.PERIODIC);
          await engine(ctx).catalog.editService(id, {
            ...serviceFrom(a, ServiceType.PERIODIC, { method: a.int('discount_method'), schemeId: a.int('scheme_id') }),
            policyId: cur.policyId,
            multipleLinking: cur.multipleLinking,
            startDate: cur.startDate,
            expireDate: cur.expireDate,
            dropFromGroup: cur.dropFromGroup,
            parentId: cur.parentId,
            tariffId: cur.tariffId,
          });
          return id;
        },
        () => 0,
      ),
    };
  },
);

export const getPeriodicService = defineFunction(
  'rpcf_get_periodic_service',
  0x2244,
  {
    comment: 'deprecated and param are always 0',
    input: [L.int('sid')],
    output: [
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.double('cost'),
      L.int('deprecated'),
      L.int('discount_method'),
      L.int('scheme_id'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('param'),
      L.int('tariff_id'),
      L.int('parent_id'),
      L.int('contract_type'),
    ],
  },
  async (call, ctx) => {
    const s = await requireService(ctx, call.args.int('sid'));
    return {
      service_name: s.name,
      comment: s.comment,
      link_by_default: s.linkByDefault ? 1 : 0,
      cost: money(s.cost),
      deprecated: 0,
      discount_method: s.method,
      scheme_id: s.schemeId,
      start_date: s.startDate,
      expire_date: s.expireDate,
      param: 0,
      tariff_id: s.tariffId,
      parent_id: s.status === ServiceStatus.TEMPLATE ? TEMPLATE_PARENT : s.parentId,
      contract_type: s.contractType,
    };
  },
);

const onceInput = [
  L.int('parent_id'),
  L.int('tariff_id'),
  L.str('service_name'),
  L.str('comment'),
  L.int('link_by_default'),
  L.int('contract_type'),
  L.double('cost'),
  L.int('drop_from_group'),
];

export const addOnceServiceEx = defineFunction(
  'rpcf_add_once_service_ex',
  0x1500,
  {
    comment: `${SERVICE_COMMENT}; a negative cost is a contribution; drop_from_group: the group the user leaves when charged (0 none)`,
    input: onceInput,
    output: [L.int('service_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const s = serviceFrom(a, ServiceType.ONCE, { dropFromGroup: a.int('drop_from_group') });
    return {
      service_id: await guarded(
        ctx,
        call,
        `add one-time service '${s.name}'`,
        () => engine(ctx).catalog.addService(s),
        () => 0,
      ),
    };
  },
);

export const editOnceServiceEx = defineFunction(
  'rpcf_edit_once_service_ex',
  0x1501,
  {
    comment: 'the status, parent and tariff plan of a service do not change; service_id 0: refused (see the core log)',
    input: [L.int('service_id'), ...onceInput],
    output: [L.int('service_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('service_id');
    return {
      service_id: await guarded(
        ctx,
        call,
        `edit one-time service ${id}`,
        async () => {
          const cur = await requireService(ctx, id, ServiceType.ONCE);
          await engine(ctx).catalog.editService(id, {
            ...serviceFrom(a, ServiceType.ONCE, { dropFromGroup: a.int('drop_from_group') }),
            policyId: cur.policyId,
            multipleLinking: cur.multipleLinking,
            startDate: cur.startDate,
            expireDate: cur.expireDate,
            schemeId: cur.schemeId,
            parentId: cur.parentId,
            tariffId: cur.tariffId,
          });
          return id;
        },
        () => 0,
      ),
    };
  },
);

export const getOnceServiceNew = defineFunction(
  'rpcf_get_once_service_new',
  0x2115,
  {
    comment: 'is_parent_id 1: the service is a template',
    input: [L.int('sid')],
    output: [
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.double('cost'),
      L.int('drop_from_group'),
      L.int('is_parent_id'),
      L.int('tariff_id'),
      L.int('parent_id'),
    ],
  },
  async (call, ctx) => {
    const s = await requireService(ctx, call.args.int('sid'), ServiceType.ONCE);
    return {
      service_name: s.name,
      comment: s.comment,
      link_by_default: s.linkByDefault ? 1 : 0,
      cost: money(s.cost),
      drop_from_group: s.dropFromGroup,
      is_parent_id: s.status === ServiceStatus.TEMPLATE ? 1 : 0,
      tariff_id: s.tariffId,
      parent_id: s.parentId,
    };
  },
);

export const removeService = defineFunction(
  'rpcf_remove_service',
  0x210e,
  {
    comment: 'a service with links, or a template with services made from it, is not removed (the core log says why)',
    input: [L.int('sid')],
  },
  async (call, ctx) => {
    const id = call.args.int('sid');
    await guarded(
      ctx,
      call,
      `remove service ${id}`,
      () => engine(ctx).catalog.removeService(id),
      () => undefined,
    );
    return {};
  },
);

export const isServiceUsed = defineFunction(
  'rpcf_is_service_used',
  0x10001,
  {
    comment: 'links_count: the service links of the service in force',
    input: [L.int('sid')],
    output: [L.int('links_count')],
  },
  async (call, ctx) => {
    return { links_count: await engine(ctx).catalog.links.countOfService(call.args.int('sid')) };
  },
);

export const setChargePolicyForService = defineFunction(
  'rpcf_set_charge_policy_for_service',
  0x15106,
  {
    comment: `the policy new links of the service get (0: the default policy); ${RESULT_COMMENT}`,
    input: [L.int('service_id'), L.int('policy_id')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('service_id');
    return {
      result: await guarded(
        ctx,
        call,
        `charge policy of service ${id}`,
        async () => {
          await engine(ctx).catalog.setServicePolicy(id, call.args.int('policy_id'));
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const getChargePolicyForService = defineFunction(
  'rpcf_get_charge_policy_for_service',
  0x15107,
  {
    input: [L.int('service_id')],
    output: [L.int('charge_policy')],
  },
  async (call, ctx) => ({ charge_policy: (await requireService(ctx, call.args.int('service_id'))).policyId }),
);

export const setMultipleLinkingForService = defineFunction(
  'rpcf_set_multiple_linking_for_service',
  0x15110,
  {
    comment: `multiple_linking 1: an account may have the service more than once; ${RESULT_COMMENT}`,
    input: [L.int('service_id'), L.int('multiple_linking')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('service_id');
    return {
      result: await guarded(
        ctx,
        call,
        `multiple linking of service ${id}`,
        async () => {
          await engine(ctx).catalog.setMultipleLinking(id, call.args.int('multiple_linking') !== 0);
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const getMultipleLinkingForService = defineFunction(
  'rpcf_get_multiple_linking_for_service',
  0x1510f,
  {
    input: [L.int('service_id')],
    output: [L.int('multiple_linking')],
  },
  async (call, ctx) => ({
    multiple_linking: (await requireService(ctx, call.args.int('service_id'))).multipleLinking ? 1 : 0,
  }),
);

export const addPeriodicService = defineFunction(
  'utm5ts_add_periodic_service',
  0x60000070,
  {
    comment:
      "UTM5-TS extension: adds a service of any type with its periodic part (UTM5's add functions are per type); " +
      `service_type 1..8; ${SERVICE_COMMENT}; discount_method: 1 at the period start, 2 at its end, 3 flow`,
    input: [
      L.int('service_type'),
      L.int('parent_id', { default: '0' }),
      L.int('tariff_id', { default: '0' }),
      L.str('service_name'),
      L.str('comment', { default: '' }),
      L.int('link_by_default', { default: '0' }),
      L.int('contract_type', { default: '0' }),
      L.double('cost', { default: '0' }),
      L.int('discount_method', { default: '1' }),
      L.int('scheme_id', { default: '0' }),
      L.int('policy_id', { default: '0' }),
      L.int('multiple_linking', { default: '0' }),
      L.int('start_date', { default: '0' }),
      L.int('expire_date', { default: 'max_time()' }),
      L.int('drop_from_group', { default: '0' }),
    ],
    output: [
      L.int('service_id'),
      L.if('service_id', 'eq', '0', [L.error('13', 'unable to add the service (the core log says why)')]),
    ],
    docs: {
      service_type:
        '1 one-time, 2 periodic, 3 IP traffic, 4 hotspot, 5 dial-up, 6 telephony, 7 IPTV, 8 video on demand',
      parent_id: '-1 a template; with tariff_id, the template the plan service is made from',
      tariff_id: 'tariff plan (0 none)',
      cost: 'periodic fee (one-time: the price)',
      discount_method: '1 at the period start, 2 at its end, 3 flow',
      scheme_id: 'coefficient scheme (0 none)',
      policy_id: 'charge policy of new links (0 the default)',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const s = serviceFrom(a, a.int('service_type'), {
      method: a.int('discount_method'),
      schemeId: a.int('scheme_id'),
      policyId: a.int('policy_id'),
      multipleLinking: a.int('multiple_linking') !== 0,
      startDate: a.int('start_date'),
      expireDate: a.int('expire_date'),
      dropFromGroup: a.int('drop_from_group'),
    });
    return {
      service_id: await guarded(
        ctx,
        call,
        `add service '${s.name}'`,
        () => engine(ctx).catalog.addService(s),
        () => 0,
      ),
    };
  },
);
