import { L, type CallArgs } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';
import type { TelZoneDef } from '../../../telephony/catalog';
import { REFUSED, settled, tel } from './common';

const zoneDef = (a: CallArgs): TelZoneDef => ({ name: a.str('name'), type: a.int('zone_type') });
const TYPES = 'zone_type: 0 local, 1 innerzone, 2 intercity, 3 international (its directions take it)';

export const addTelZone = defineFunction(
  'rpcf_add_tel_zone',
  0x10303,
  {
    comment: `adds a telephone zone; ${TYPES}; zone_id -1: refused (the core log says why)`,
    input: [L.str('name'), L.int('zone_type')],
    output: [L.int('zone_id')],
    docs: { zone_type: '0 local, 1 innerzone, 2 intercity, 3 international' },
  },
  async (call, ctx) => ({
    zone_id: await guarded(
      ctx,
      call,
      `add telephone zone '${call.args.str('name')}'`,
      async () => settled(ctx, await tel(ctx).addZone(actorOf(call), zoneDef(call.args))),
      () => REFUSED,
    ),
  }),
);

export const editTelZone = defineFunction(
  'rpcf_edit_tel_zone',
  0x10304,
  {
    comment: `${TYPES}; zone_id -1: refused (the core log says why)`,
    input: [L.int('zone_id'), L.str('name'), L.int('zone_type')],
    output: [L.int('zone_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('zone_id');
    return {
      zone_id: await guarded(
        ctx,
        call,
        `edit telephone zone ${id}`,
        async () => {
          await tel(ctx).editZone(actorOf(call), id, zoneDef(call.args));
          return settled(ctx, id);
        },
        () => REFUSED,
      ),
    };
  },
);

export const removeTelZone = defineFunction(
  'rpcf_remove_tel_zone',
  0x10305,
  {
    comment:
      'removes a zone no telephony service prices and no emergency list names (refused otherwise); its directions ' +
      'move to zone 0 (in no zone); zone_id -1: refused (the core log says why)',
    input: [L.int('zone_id')],
    output: [L.int('zone_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('zone_id');
    return {
      zone_id: await guarded(
        ctx,
        call,
        `remove telephone zone ${id}`,
        async () => {
          await tel(ctx).removeZone(actorOf(call), id);
          return settled(ctx, id);
        },
        () => REFUSED,
      ),
    };
  },
);

export const getTelZone = defineFunction(
  'rpcf_get_tel_zone',
  0x10307,
  {
    comment: 'a zone with its directions (ids and names); zone_id -1: no such zone',
    input: [L.int('zone_id')],
    output: [
      L.int('zone_id'),
      L.if('zone_id', 'ne', '-1', [
        L.int('supplier_id'),
        L.str('name'),
        L.int('create_date'),
        L.int('update_date'),
        L.int('dir_count'),
        L.for('i', '0', 'dir_count', [L.int('dir_id_array', { index: 'i' }), L.str('dir_name_array', { index: 'i' })]),
      ]),
    ],
  },
  async (call, ctx) => {
    const z = await tel(ctx).zone(call.args.int('zone_id'));
    if (!z) return { zone_id: -1 };
    return {
      zone_id: z.id,
      supplier_id: z.supplierId,
      name: z.name,
      create_date: z.createDate,
      update_date: z.updateDate,
      dir_count: z.directions.length,
      dir_id_array: z.directions.map((d) => d.id),
      dir_name_array: z.directions.map((d) => d.name),
    };
  },
);

export const telZonesList = defineFunction(
  'rpcf_tel_zones_list',
  0x10309,
  {
    comment: 'the telephone zones in force, by id',
    output: [
      L.int('zone_count'),
      L.for('i', '0', 'zone_count', [
        L.int('zone_id_array', { index: 'i' }),
        L.int('supplier_id_array', { index: 'i' }),
        L.str('name_array', { index: 'i' }),
        L.int('create_date_array', { index: 'i' }),
        L.int('update_date_array', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const zs = await tel(ctx).zones();
    return {
      zone_count: zs.length,
      zone_id_array: zs.map((z) => z.id),
      supplier_id_array: zs.map((z) => z.supplierId),
      name_array: zs.map((z) => z.name),
      create_date_array: zs.map((z) => z.createDate),
      update_date_array: zs.map((z) => z.updateDate),
    };
  },
);
