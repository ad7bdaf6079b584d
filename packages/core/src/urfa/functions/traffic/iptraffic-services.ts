import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded, type HandlerContext } from '../../core-function';
import type { NewService } from '../../../tariffication/catalog';
import { ServiceStatus, ServiceType, type ServiceRow } from '../../../tariffication/model';
import type { IpTrafficParams } from '../../../traffic/catalog';
import { TEMPLATE_PARENT } from '../tariffication/services';
import { engine, micro, money } from '../tariffication/common';
import { placement, saveServiceWithPart } from '../tariffication/service-part';
import { groupFromWire, groupToWire, traffic } from './common';

async function requireIpService(ctx: HandlerContext, id: number): Promise<ServiceRow> {
  const s = await engine(ctx).catalog.service(id);
  if (!s || s.type !== ServiceType.IPTRAFFIC) throw new Error(`no IP traffic service ${id}`);
  return s;
}

function readParams(a: CallArgs, where: string, sessionsLimit: number): IpTrafficParams {
  const rows = (count: string) => Array.from({ length: a.int(count) }, (_, i) => i);
  return {
    resetPrepaid: a.int('null_service_prepaid') !== 0,
    aggregationInterval: a.int('param1'),
    isDynamic: a.int('is_dynamic') !== 0,
    sessionsLimit,
    borders: rows('borders_numbers').map((i) => ({
      tclass: a.int('tclass_b', i),
      size: a.long('size_b', i),
      cost: micro(a.double('cost_b', i)),
    })),
    prepaid: rows('prepaid_numbers').map((i) => ({
      tclass: a.int('tclass_p', i),
      size: a.long('size_p', i),
      max: a.long('size_max_p', i),
    })),
    groups: rows('num_of_groups').map((i) => ({
      tclass: a.int('tcid', i),
      ...groupFromWire(`${where}, group of class ${a.int('tcid', i)}`, a.int('gid', i)),
    })),
  };
}

/** The service row, then its IP traffic part (a refused part undoes the row). */
async function saveIpService(
  ctx: HandlerContext,
  prev: ServiceRow | undefined,
  s: NewService,
  params: IpTrafficParams,
): Promise<number> {
  const id = await saveServiceWithPart(ctx, prev, s, (trx, sid) =>
    traffic(ctx).catalog.setIpTrafficParams(trx, sid, params),
  );
  // Links price from a cached plan per service: the next traffic must see the new borders.
  traffic(ctx).billing.forgetPlans();
  return id;
}

export const addIptrafficService = defineFunction(
  'rpcf_add_iptraffic_service',
  0x2107,
  {
    comment:
      'service_id 0 adds a service, otherwise edits that IP traffic service (its status, parent and tariff plan do not change); ' +
      'parent_id -1 adds a template, tariff_id > 0 a tariff plan service made from template parent_id; cost: periodic fee; ' +
      'param1: traffic statistics aggregation interval in seconds (0 hourly); null_service_prepaid 1: unused prepaid traffic is ' +
      'not carried to the next period; borders: from size_b bytes of the period on, class tclass_b costs cost_b per megabyte; ' +
      'prepaid: size_p bytes of class tclass_p free per period, carried over up to size_max_p (0 unlimited); groups: class tcid ' +
      'is priced by the volume of group gid, of type sum, or of type max when gid has bit 0x40000000 set (UTM5-TS convention); ' +
      'prepaid traffic and groups exclude each other. No output: a refusal is written to the core log',
    // The reference counts the loops with size(tclass_b), size(tclass_p) and size(tcid), which only a client can
    // evaluate; borders_numbers, prepaid_numbers and num_of_groups (defaulted to those sizes) are the same on the wire.
    input: [
      L.int('parent_id'),
      L.int('tariff_id'),
      L.int('service_id'),
      L.str('service_name'),
      L.str('comment'),
      L.int('link_by_default'),
      L.int('is_dynamic'),
      L.double('cost'),
      L.int('param1'),
      L.int('discount_method'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('null_service_prepaid'),
      L.int('borders_numbers', { default: 'size(tclass_b)' }),
      L.for('i', '0', 'borders_numbers', [
        L.int('tclass_b', { index: 'i' }),
        L.long('size_b', { index: 'i' }),
        L.double('cost_b', { index: 'i' }),
      ]),
      L.int('prepaid_numbers', { default: 'size(tclass_p)' }),
      L.for('i', '0', 'prepaid_numbers', [
        L.int('tclass_p', { index: 'i' }),
        L.long('size_p', { index: 'i' }),
        L.long('size_max_p', { index: 'i' }),
      ]),
      L.int('num_of_groups', { default: 'size(tcid)' }),
      L.for('i', '0', 'num_of_groups', [L.int('tcid', { index: 'i' }), L.int('gid', { index: 'i' })]),
    ],
    docs: {
      param1: 'traffic statistics aggregation interval, seconds (0: hourly)',
      null_service_prepaid: '1: reset prepaid traffic every period',
      size_b: 'border: bytes from the period start',
      cost_b: 'price per megabyte from that border on',
      size_max_p: 'carry over no more than (0: no cap)',
      gid: 'traffic group of class tcid; add 0x40000000 (1073741824) for a group of type max, otherwise the group sums',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('service_id');
    await guarded(
      ctx,
      call,
      id === 0 ? `add IP traffic service '${a.str('service_name')}'` : `edit IP traffic service ${id}`,
      async () => {
        const prev = id === 0 ? undefined : await requireIpService(ctx, id);
        const s: NewService = {
          name: a.str('service_name'),
          comment: a.str('comment'),
          type: ServiceType.IPTRAFFIC,
          linkByDefault: a.int('link_by_default') !== 0,
          cost: micro(a.double('cost')),
          method: a.int('discount_method'),
          startDate: a.int('start_date'),
          expireDate: a.int('expire_date'),
          ...placement(prev, a.int('parent_id'), a.int('tariff_id')),
        };
        const cur = prev ? await traffic(ctx).catalog.ipTrafficParams(prev.id) : undefined;
        return saveIpService(ctx, prev, s, readParams(a, `IP traffic service '${s.name}'`, cur?.sessionsLimit ?? 0));
      },
      () => 0,
    );
    return {};
  },
);

export const getIptrafficService = defineFunction(
  'rpcf_get_iptraffic_service',
  0x2105,
  {
    comment:
      'borders per class: border_id is the border in bytes from the period start, border_cost the price per megabyte from it on; ' +
      'prepaid rows continue the index after the border rows (tclass[borders_count + k]), as both loops fill tclass; ' +
      'tclass_group_id has bit 0x40000000 set for a group of type max; deprecated is always 0; an unknown sid ends the call without data',
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
      L.int('borders_count'),
      L.for('i', '0', 'borders_count', [
        L.int('tclass', { index: 'i' }),
        L.if('tclass', 'ne', '-1', [
          L.long('borders_size'),
          L.set({ dst: 'borders_size_array', src: 'borders_size', dstIndex: 'i' }),
          L.for('j', '0', 'borders_size', [
            L.long('border_id', { index: 'i,j' }),
            L.double('border_cost', { index: 'i,j' }),
          ]),
        ]),
      ]),
      // Not the reference's from="0": both loops write tclass[i], so the prepaid rows start where the border rows end
      // and neither overwrites the other (the wire is the same).
      L.int('prepaid_count'),
      L.for('i', 'borders_count', 'prepaid_count', [
        L.int('tclass', { index: 'i' }),
        L.if('tclass', 'ne', '-1', [L.long('prepaid_amount', { index: 'i' }), L.long('prepaid_max', { index: 'i' })]),
      ]),
      L.int('tclass_id2group_size'),
      L.for('i', '0', 'tclass_id2group_size', [
        L.int('tclass_id', { index: 'i' }),
        L.int('tclass_group_id', { index: 'i' }),
      ]),
      L.int('service_data_parent_id'),
      L.int('tariff_id'),
      L.int('parent_id'),
    ],
  },
  async (call, ctx) => {
    const s = await requireIpService(ctx, call.args.int('sid'));
    const p = await traffic(ctx).catalog.ipTrafficParams(s.id);
    const classes = [...new Set(p.borders.map((b) => b.tclass))];
    const of = (c: number) => p.borders.filter((b) => b.tclass === c);
    const pad = classes.map(() => 0);
    return {
      service_name: s.name,
      comment: s.comment,
      link_by_default: s.linkByDefault ? 1 : 0,
      is_dynamic: p.isDynamic ? 1 : 0,
      cost: money(s.cost),
      deprecated: 0,
      discount_method: s.method,
      start_date: s.startDate,
      expire_date: s.expireDate,
      null_service_prepaid: p.resetPrepaid ? 1 : 0,
      borders_count: classes.length,
      tclass: [...classes, ...p.prepaid.map((q) => q.tclass)],
      borders_size_array: classes.map((c) => of(c).length),
      border_id: classes.map((c) => of(c).map((b) => b.size)),
      border_cost: classes.map((c) => of(c).map((b) => money(b.cost))),
      prepaid_count: p.prepaid.length,
      prepaid_amount: [...pad, ...p.prepaid.map((q) => q.size)],
      prepaid_max: [...pad, ...p.prepaid.map((q) => q.max)],
      tclass_id2group_size: p.groups.length,
      tclass_id: p.groups.map((g) => g.tclass),
      tclass_group_id: p.groups.map(groupToWire),
      service_data_parent_id: s.parentId,
      tariff_id: s.tariffId,
      parent_id: s.status === ServiceStatus.TEMPLATE ? TEMPLATE_PARENT : s.parentId,
    };
  },
);
