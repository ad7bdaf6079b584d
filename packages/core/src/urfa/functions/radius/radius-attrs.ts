import { L, type CallArgs, type LayoutNode, type RadiusAttrWire } from '@utm5/protocol';
import { defineFunction, guarded, type HandlerContext } from '../../core-function';
import { badInput, intToIpv4 } from '../traffic/common';
import { checkAttr, radius } from './common';

/** rpcf_set_radius_attr's st for a service link, as public UTM5 clients send it; any service type (0..8) names a service. */
export const ST_SLINK = 10000;

/** param1, the wire type of val. UTM5-TS keeps values as text, so they read back as strings (param1 1). */
const VALUE_TYPE = { INTEGER: 0, STRING: 1, IP: 2, HEX: 3 } as const;

/** One attribute row (index i) after its vendor/attr/tag; the same in set and get. */
const ROW: LayoutNode[] = [
  L.int('vendor', { index: 'i' }),
  L.int('attr', { index: 'i' }),
  L.int('tag', { index: 'i' }),
  L.int('usage_flags', { index: 'i' }),
  L.int('expire_date', { index: 'i', default: '2000000000' }),
  L.int('param1', { index: 'i' }),
  L.set({ dst: 'tmp_type', src: 'param1', srcIndex: 'i' }),
  L.if('tmp_type', 'eq', '0', [L.int('val', { index: 'i' })]),
  L.if('tmp_type', 'eq', '1', [L.str('val', { index: 'i' })]),
  L.if('tmp_type', 'eq', '2', [L.int('val', { index: 'i' })]),
  L.if('tmp_type', 'eq', '3', [L.str('val', { index: 'i' })]),
  L.int('prop_size', { index: 'i' }),
  L.for('p', '0', 'prop_size', [L.int('type', { index: 'i,p' }), L.str('value', { index: 'i,p' })]),
];

const COMMENT =
  'attributes added to the Access-Accept of a service (sid = service id, st = its type 0..8) or of a service link ' +
  `(sid = slink id, st = ${ST_SLINK}); the NAS's come first, then the service's, then the link's; usage_flags is what the attribute ` +
  'does to the ones before it: 0 add, 1 replace, 2 remove; param1: val is 0 an integer, 1 a string, 2 an IPv4 address as an integer ' +
  '(3, hex, is refused); values are kept as text and read back as strings (param1 1); expire_date and properties are not kept';

async function ownerOf(ctx: HandlerContext, sid: number, st: number, where: string): Promise<'service' | 'slink'> {
  if (st === ST_SLINK) {
    if (!(await radius(ctx).serviceLink(sid))) throw badInput(`${where}: no service link ${sid}`);
    return 'slink';
  }
  if (!(st >= 0 && st <= 8))
    throw badInput(`${where}: st ${st} must be a service type 0..8 or ${ST_SLINK} (a service link)`);
  if (!(await ctx.tariffication.catalog.service(sid))) throw badInput(`${where}: no service ${sid}`);
  return 'service';
}

function readAttrs(a: CallArgs, where: string): RadiusAttrWire[] {
  return Array.from({ length: a.int('cnt') }, (_, i) => {
    const at = `${where}, attribute ${i + 1}`;
    const type = a.int('param1', i);
    const value =
      type === VALUE_TYPE.INTEGER
        ? String(a.int('val', i))
        : type === VALUE_TYPE.STRING
          ? a.str('val', i)
          : type === VALUE_TYPE.IP
            ? intToIpv4(a.int('val', i))
            : undefined;
    if (value === undefined)
      throw badInput(`${at}: param1 ${type}: send the value as 0 an integer, 1 a string or 2 an IPv4 address`);
    const row = {
      vendor: a.int('vendor', i),
      attr: a.int('attr', i),
      tag: a.int('tag', i),
      action: a.int('usage_flags', i),
    };
    return { ...row, value, action: checkAttr(at, row) };
  });
}

export const setRadiusAttr = defineFunction(
  'rpcf_set_radius_attr',
  0x10105,
  {
    comment: `the attributes replace the owner's. ${COMMENT}. No output: a refusal is written to the core log`,
    input: [L.int('sid'), L.int('st'), L.int('cnt', { default: 'size(vendor)' }), L.for('i', '0', 'cnt', ROW)],
    docs: {
      st: `the service type (sid is a service) or ${ST_SLINK} (sid is a service link)`,
      usage_flags: '0 add, 1 replace, 2 remove earlier ones',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const where = `RADIUS attributes of ${a.int('st') === ST_SLINK ? 'service link' : 'service'} ${a.int('sid')}`;
    await guarded(
      ctx,
      call,
      where,
      async () => {
        const owner = await ownerOf(ctx, a.int('sid'), a.int('st'), where);
        await radius(ctx).setAttrs(owner, a.int('sid'), readAttrs(a, where));
      },
      () => undefined,
    );
    return {};
  },
);

export const getRadiusAttr = defineFunction(
  'rpcf_get_radius_attr',
  0x10106,
  {
    comment: COMMENT,
    input: [L.int('sid'), L.int('st')],
    output: [L.int('radius_data_size'), L.for('i', '0', 'radius_data_size', ROW)],
  },
  async (call, ctx) => {
    const a = call.args;
    const owner = a.int('st') === ST_SLINK ? 'slink' : 'service';
    const xs = await radius(ctx).attrs(owner, a.int('sid'));
    return {
      radius_data_size: xs.length,
      vendor: xs.map((x) => x.vendor),
      attr: xs.map((x) => x.attr),
      tag: xs.map((x) => x.tag),
      usage_flags: xs.map((x) => x.action),
      expire_date: xs.map(() => 2000000000),
      param1: xs.map(() => VALUE_TYPE.STRING),
      val: xs.map((x) => x.value),
      prop_size: xs.map(() => 0),
    };
  },
);
