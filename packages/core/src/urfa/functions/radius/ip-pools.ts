import { L } from '@utm5/protocol';
import type { IpPoolCatalog } from '../../../radius/ip-pools';
import { defineFunction, guarded, type HandlerContext } from '../../core-function';
import { intToIpv4 } from '../traffic/common';
import { ENDS_WITHOUT_DATA } from './common';

const pools = (ctx: HandlerContext): IpPoolCatalog => ctx.radius.pools;

const POOL_COMMENT =
  'an IP pool is a name and an IPv4 network (address/mask, mask 8..32; host bits are cleared) utm5_radius gives ' +
  'addresses from, without the network and broadcast addresses: to dial-up links whose service names it, and to guest and ' +
  'blocked users (guest_pool_name, blocked_pool_name); pools may share a name (used in id order, or shuffled with ' +
  'named_pool_shuffle) but not addresses';
const REFUSED = 'a refusal changes nothing (the core log says why)';

export const getIppoolsList = defineFunction(
  'rpcf_get_ippools_list',
  0x1067,
  {
    comment: `every IP pool in id order; ${POOL_COMMENT}`,
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.ip('address', { index: 'i' }),
        L.int('mask', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ps = await pools(ctx).list();
    return {
      size: ps.length,
      id: ps.map((p) => p.id),
      name: ps.map((p) => p.name),
      address: ps.map((p) => p.address),
      mask: ps.map((p) => p.mask),
    };
  },
);

export const getIppool = defineFunction(
  'rpcf_get_ippool',
  0x1066,
  {
    comment: `${POOL_COMMENT}; ${ENDS_WITHOUT_DATA}`,
    input: [L.int('id')],
    output: [L.int('id'), L.str('name'), L.ip('address'), L.int('mask')],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    const p = await pools(ctx).get(id);
    if (!p) throw new Error(`no IP pool ${id}`);
    return { id: p.id, name: p.name, address: p.address, mask: p.mask };
  },
);

export const addIppool = defineFunction(
  'rpcf_add_ippool',
  0x1068,
  {
    comment:
      `address is the network as a 32-bit integer (as in UTM5's API: 167772160 is 10.0.0.0); id 0 or an id in use takes the ` +
      `next free id; ${POOL_COMMENT}; ${REFUSED}`,
    input: [L.int('id'), L.str('name'), L.int('address'), L.int('mask')],
  },
  async (call, ctx) => {
    const a = call.args;
    const name = a.str('name');
    await guarded(
      ctx,
      call,
      `add IP pool '${name}'`,
      () => pools(ctx).add({ name, address: intToIpv4(a.int('address')), mask: a.int('mask') }, a.int('id')),
      () => 0,
    );
    return {};
  },
);

export const editIppool = defineFunction(
  'rpcf_edit_ippool',
  0x1069,
  {
    comment: `${POOL_COMMENT}; ${REFUSED}`,
    input: [L.int('id'), L.str('name'), L.ip('address'), L.int('mask')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('id');
    await guarded(
      ctx,
      call,
      `edit IP pool ${id}`,
      () => pools(ctx).edit(id, { name: a.str('name'), address: a.ip('address'), mask: a.int('mask') }),
      () => undefined,
    );
    return {};
  },
);

export const delIppool = defineFunction(
  'rpcf_del_ippool',
  0x1064,
  {
    comment: `removes pool id (name, address and mask are not checked); addresses already given out stay with their sessions; ${REFUSED}`,
    input: [L.int('id'), L.str('name'), L.ip('address'), L.int('mask')],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    await guarded(
      ctx,
      call,
      `remove IP pool ${id}`,
      () => pools(ctx).remove(id),
      () => undefined,
    );
    return {};
  },
);
