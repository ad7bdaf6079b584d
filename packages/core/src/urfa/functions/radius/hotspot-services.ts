import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import { maskBits, type AllowedNet } from '../../../radius/hotspot-networks';
import { badInput, intToIpv4, ipv4ToInt } from '../traffic/common';
import { ServiceType } from '../../../tariffication/model';
import { radius } from './common';
import {
  noteIgnored,
  readPrices,
  requireTimeService,
  saveTimeService,
  timeService,
  timeServiceView,
} from './time-services';

export const addHotspotService = defineFunction(
  'rpcf_add_hotspot_service',
  0x2208,
  {
    comment:
      'service_id 0 adds a service, otherwise edits that hotspot service (its status, parent and tariff plan do not change); fictive ' +
      'is parent_id as in rpcf_add_dialup_service (-1 adds a template, with tariff_id > 0 the template of a plan service); cost: periodic ' +
      'fee, charged by discount_method; cost_p: price per hour of connection during time range id_p (at least one); ' +
      'radius_sessions_limit: simultaneous sessions per login (0 unlimited); sid: the service id, 0 refused (the core log says why); ' +
      'ip / value1: allowed networks, the address and its mask (prefix length or netmask as an integer), from which users may log in ' +
      '(utm5_radius checks the Framed-IP-Address a hotspot NAS sends; none: anywhere); ' +
      'param1, null_service_prepaid, recv_cost and rate_limit are not kept (the core log says so)',
    input: [
      L.int('fictive'),
      L.int('tariff_id'),
      L.int('service_id'),
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.int('is_dynamic'),
      L.int('contract_type'),
      L.int('param1'),
      L.int('discount_method'),
      L.double('cost'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('null_service_prepaid'),
      L.int('radius_sessions_limit'),
      L.double('recv_cost'),
      L.str('rate_limit'),
      L.int('allowed_net_size', { default: 'size(ip)' }),
      L.for('i', '0', 'allowed_net_size', [L.ip('ip', { index: 'i' }), L.int('value1', { index: 'i' })]),
      L.int('periodic_service_size', { default: 'size(id_p)' }),
      L.for('i', '0', 'periodic_service_size', [L.double('cost_p', { index: 'i' }), L.int('id_p', { index: 'i' })]),
    ],
    output: [L.int('sid')],
    docs: {
      fictive: 'parent_id: -1 a template, or the template of a tariff plan service',
      cost_p: 'price per hour during time range id_p',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('service_id');
    const sid = await guarded(
      ctx,
      call,
      id === 0 ? `add hotspot service '${a.str('service_name')}'` : `edit hotspot service ${id}`,
      async () => {
        const prev = id === 0 ? undefined : await requireTimeService(ctx, id, ServiceType.HOTSPOT);
        const s = timeService(a, ServiceType.HOTSPOT, prev, { parent: 'fictive', dates: true });
        const nets = readNets(
          a,
          `hotspot service '${s.name}'`,
          { count: 'allowed_net_size', ip: 'ip', mask: 'value1' },
          (i) => a.ip('ip', i),
        );
        return saveTimeService(
          ctx,
          prev,
          s,
          {
            poolName: '',
            maxSessions: a.int('radius_sessions_limit'),
            isDynamic: a.int('is_dynamic') !== 0,
            prices: readPrices(a, `hotspot service '${s.name}'`, {
              count: 'periodic_service_size',
              cost: 'cost_p',
              range: 'id_p',
            }),
          },
          nets,
        );
      },
      () => 0,
    );
    if (sid > 0) {
      noteIgnored(ctx, call, `hotspot service ${sid}`, [
        a.int('param1') !== 0 && `param1 ${a.int('param1')}`,
        a.int('null_service_prepaid') !== 0 && 'null_service_prepaid',
        a.double('recv_cost') !== 0 && `recv_cost ${a.double('recv_cost')}`,
        a.str('rate_limit') !== '' && `rate_limit '${a.str('rate_limit')}'`,
      ]);
    }
    return { sid };
  },
);

export const getHotspotService = defineFunction(
  'rpcf_get_hotspot_service',
  0x2109,
  {
    comment:
      'per time range: tr_time its name, param1 the price per hour, param2 the range; service_data_parent_id: the template a ' +
      'plan service is made from; parent_id -1: the service is a template; allowed_net_id / allowed_net_value: an allowed network as ' +
      'an IPv4 address integer and its prefix length; null_service_prepaid, recv_cost and deprecated are 0, rate_limit empty; an ' +
      'unknown sid ends the call without data',
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
      L.int('null_service_prepaid'),
      L.int('radius_sessions_limit'),
      L.double('recv_cost'),
      L.str('rate_limit'),
      L.int('hsd_allowed_net_size'),
      L.for('i', '0', 'hsd_allowed_net_size', [
        L.int('allowed_net_id', { index: 'i' }),
        L.int('allowed_net_value', { index: 'i' }),
      ]),
      L.int('cost_size'),
      L.for('i', '0', 'cost_size', [
        L.str('tr_time', { index: 'i' }),
        L.double('param1', { index: 'i' }),
        L.int('param2', { index: 'i' }),
      ]),
      L.int('service_data_parent_id'),
      L.int('tariff_id'),
      L.int('parent_id'),
    ],
  },
  async (call, ctx) => {
    const s = await requireTimeService(ctx, call.args.int('sid'), ServiceType.HOTSPOT);
    const v = await timeServiceView(ctx, s);
    const nets = await radius(ctx).hotspotNetworks(s.id);
    // As rpcf_get_iptraffic_service answers: parent_id -1 marks a template, service_data_parent_id is the parent.
    return {
      ...v,
      recv_cost: 0,
      rate_limit: '',
      hsd_allowed_net_size: nets.length,
      allowed_net_id: nets.map((n) => ipv4ToInt(n.ip)),
      allowed_net_value: nets.map((n) => n.mask),
      param1: v.price,
      param2: v.range,
      service_data_parent_id: s.parentId,
      parent_id: v.is_parent_id === 1 ? -1 : s.parentId,
    };
  },
);

/** Allowed networks from a loop of (address, mask) rows; the mask is a prefix length or a netmask integer. */
function readNets(
  a: CallArgs,
  where: string,
  names: { count: string; ip: string; mask: string },
  ipAt: (i: number) => string,
): AllowedNet[] {
  return Array.from({ length: a.int(names.count) }, (_, i) => {
    const mask = maskBits(a.int(names.mask, i));
    if (mask === undefined)
      throw badInput(
        `${where}: allowed network ${i + 1}: mask ${a.int(names.mask, i)} is neither a prefix length nor a netmask`,
      );
    return { ip: ipAt(i), mask };
  });
}

const NETS_COMMENT =
  'the networks hotspot users of service_id may log in from (utm5_radius checks the Framed-IP-Address a hotspot NAS sends; ' +
  'none: anywhere); ip: the IPv4 address as an integer; mask: the prefix length (set also takes a netmask as an integer)';

export const getHotspotNetworks = defineFunction(
  'rpcf_get_hotspot_networks',
  0x10201,
  {
    comment: `${NETS_COMMENT}; an unknown service has none`,
    input: [L.int('service_id')],
    output: [L.int('cnt'), L.for('i', '0', 'cnt', [L.int('ip', { index: 'i' }), L.int('mask', { index: 'i' })])],
  },
  async (call, ctx) => {
    const nets = await radius(ctx).hotspotNetworks(call.args.int('service_id'));
    return { cnt: nets.length, ip: nets.map((n) => ipv4ToInt(n.ip)), mask: nets.map((n) => n.mask) };
  },
);

export const setHotspotNetworksFn = defineFunction(
  'rpcf_set_hotspot_networks',
  0x10202,
  {
    comment: `replaces the list; ${NETS_COMMENT}; result 0 done, -1 refused (not a hotspot service or a bad network; the core log says why)`,
    input: [
      L.int('service_id'),
      L.int('cnt', { default: 'size(ip)' }),
      L.for('i', '0', 'cnt', [L.int('ip', { index: 'i' }), L.int('mask', { index: 'i' })]),
    ],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const a = call.args;
    const sid = a.int('service_id');
    const result = await guarded(
      ctx,
      call,
      `set allowed networks of hotspot service ${sid}`,
      async () => {
        await requireTimeService(ctx, sid, ServiceType.HOTSPOT);
        const nets = readNets(a, `hotspot service ${sid}`, { count: 'cnt', ip: 'ip', mask: 'mask' }, (i) =>
          intToIpv4(a.int('ip', i)),
        );
        await radius(ctx).setHotspotNetworks(sid, nets);
        return 0;
      },
      () => -1,
    );
    return { result };
  },
);
