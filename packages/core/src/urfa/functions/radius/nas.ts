import { L, type CallArgs } from '@utm5/protocol';
import type { RadiusAttrWire } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import { refusal } from '../tariffication/common';
import { badInput } from '../traffic/common';
import { checkAttr, ENDS_WITHOUT_DATA, radius } from './common';

/** NAS flags as UTM5-TS reads them (UTM5 5.3 does not document the bits): 1 = the NAS takes CoA requests (RFC 5176). */
export const NAS_FLAG = { COA: 1 } as const;

/**
 * A NAS parameter (variable, value) is one RADIUS attribute the NAS adds to every Access-Accept: variable is
 * "vendor:attr", optionally ":tag" and ":action" (0 add, 1 replace, 2 remove), all decimal; value is the attribute's
 * text (utm5_radius encodes it by the dictionary type). Read back, trailing zero tag/action are left out.
 */
export function paramToAttr(variable: string, value: string, where: string): RadiusAttrWire {
  const parts = variable.split(':');
  if (parts.length < 2 || parts.length > 4 || !parts.every((p) => /^\d+$/.test(p))) {
    throw badInput(
      `${where}: variable '${variable}' must be vendor:attr[:tag[:action]] in decimal (e.g. 0:27 for Session-Timeout)`,
    );
  }
  const [vendor, attr, tag = 0, action = 0] = parts.map(Number) as [number, number, number?, number?];
  return { vendor, attr, tag, value, action: checkAttr(where, { vendor, attr, tag, action }) };
}

export function attrToParam(a: RadiusAttrWire): { variable: string; value: string } {
  const parts = [a.vendor, a.attr, a.tag, a.action];
  while (parts.length > 2 && parts[parts.length - 1] === 0) parts.pop();
  return { variable: parts.join(':'), value: a.value };
}

const PARAMS = [
  L.int('parameters_size', { default: 'size(variable)' }),
  L.for('i', '0', 'parameters_size', [L.str('variable', { index: 'i' }), L.str('value', { index: 'i' })]),
];

const NAS_COMMENT =
  "nas_id: the NAS's IP address (requests are matched by their source address); UTM5-TS keeps one shared " +
  'secret per NAS: acct_secret must be empty or equal auth_secret, and reads back as auth_secret; dac_secret: secret of ' +
  'DM/CoA requests (empty: auth_secret); das_port 0: 3799; flags: 1 = the NAS takes CoA requests; isg_profile must be 0; ' +
  'a parameter is a RADIUS attribute the NAS adds to every Access-Accept: variable vendor:attr[:tag[:action]] (action 0 add, ' +
  '1 replace, 2 remove) and value its text';

function readNas(a: CallArgs, where: string) {
  const ip = a.str('nas_id').trim();
  const secret = a.str('auth_secret');
  const acct = a.str('acct_secret');
  if (acct !== '' && acct !== secret)
    throw badInput(`${where}: acct_secret differs from auth_secret; UTM5-TS keeps one shared secret per NAS`);
  const flags = a.int('flags');
  if ((flags & ~NAS_FLAG.COA) !== 0) throw badInput(`${where}: flags ${flags}: only 1 (CoA) is known`);
  if (a.int('isg_profile') !== 0)
    throw badInput(`${where}: isg_profile ${a.int('isg_profile')}: ISG attribute profiles are not supported (send 0)`);
  const attrs = Array.from({ length: a.int('parameters_size') }, (_, i) =>
    paramToAttr(a.str('variable', i), a.str('value', i), `${where}, parameter ${i + 1}`),
  );
  return {
    ip,
    secret,
    daeSecret: a.str('dac_secret'),
    daePort: a.int('das_port') || 3799,
    coa: (flags & NAS_FLAG.COA) !== 0,
    attrs,
  };
}

export const getNasList = defineFunction(
  'rpcf_get_nas_list',
  0x5040,
  {
    comment: `the registered NASes in id order. ${NAS_COMMENT}`,
    output: [
      L.int('nas_size'),
      L.for('i', '0', 'nas_size', [
        L.int('id', { index: 'i' }),
        L.str('nas_id', { index: 'i' }),
        L.str('auth_secret', { index: 'i' }),
        L.str('acct_secret', { index: 'i' }),
        L.str('dac_secret', { index: 'i' }),
        L.int('das_port', { index: 'i' }),
        L.int('flags', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ns = await radius(ctx).nasEntries();
    return {
      nas_size: ns.length,
      id: ns.map((n) => n.id),
      nas_id: ns.map((n) => n.ip),
      auth_secret: ns.map((n) => n.secret),
      acct_secret: ns.map((n) => n.secret),
      dac_secret: ns.map((n) => n.daeSecret),
      das_port: ns.map((n) => n.daePort),
      flags: ns.map((n) => (n.coa ? NAS_FLAG.COA : 0)),
    };
  },
);

export const putNas = defineFunction(
  'rpcf_put_nas',
  0x5103,
  {
    comment:
      `mode 0 adds a NAS (id is ignored), otherwise edits NAS id (its name and comment are kept; the parameters replace its ` +
      `attributes); result: the NAS id, or -1 a bad value or no such NAS, -3 refused otherwise (the core log says why). ${NAS_COMMENT}`,
    input: [
      L.int('mode'),
      L.int('id'),
      L.str('nas_id'),
      L.str('auth_secret'),
      L.str('acct_secret'),
      L.str('dac_secret'),
      L.int('das_port'),
      L.int('flags'),
      L.int('isg_profile'),
      ...PARAMS,
    ],
    output: [L.int('result')],
    docs: {
      mode: '0 add, otherwise edit NAS id',
      nas_id: 'the NAS IP address',
      flags: '1: the NAS takes CoA requests',
      variable: 'vendor:attr[:tag[:action]]',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('mode') === 0 ? 0 : a.int('id');
    const where = id === 0 ? `add NAS ${a.str('nas_id')}` : `edit NAS ${id}`;
    return {
      result: await guarded(
        ctx,
        call,
        where,
        async () => {
          const n = readNas(a, where);
          const cur = id === 0 ? undefined : (await radius(ctx).nasEntries()).find((x) => x.id === id);
          if (id !== 0 && !cur) throw badInput(`no NAS ${id}`);
          return radius(ctx).putNas(id, { ...n, name: cur?.name ?? n.ip, comment: cur?.comment ?? '' }, n.attrs);
        },
        refusal,
      ),
    };
  },
);

export const getNas = defineFunction(
  'rpcf_get_nas',
  0x5102,
  {
    comment: `${NAS_COMMENT}; ${ENDS_WITHOUT_DATA}`,
    input: [L.int('id')],
    output: [
      L.str('nas_id'),
      L.str('auth_secret'),
      L.str('acct_secret'),
      L.str('dac_secret'),
      L.int('das_port'),
      L.int('flags'),
      L.int('isg_profile'),
      ...PARAMS,
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    const n = (await radius(ctx).nasEntries()).find((x) => x.id === id);
    if (!n) throw new Error(`no NAS ${id}`);
    const ps = n.attrs.map(attrToParam);
    return {
      nas_id: n.ip,
      auth_secret: n.secret,
      acct_secret: n.secret,
      dac_secret: n.daeSecret,
      das_port: n.daePort,
      flags: n.coa ? NAS_FLAG.COA : 0,
      isg_profile: 0,
      parameters_size: ps.length,
      variable: ps.map((p) => p.variable),
      value: ps.map((p) => p.value),
    };
  },
);

export const delNas = defineFunction(
  'rpcf_del_nas',
  0x501a,
  {
    comment: 'utm5_radius stops answering the NAS; an unknown id is refused (the core log says so)',
    input: [L.int('id')],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    await guarded(
      ctx,
      call,
      `remove NAS ${id}`,
      () => radius(ctx).removeNas(id),
      () => undefined,
    );
    return {};
  },
);
