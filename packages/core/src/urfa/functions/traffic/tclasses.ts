import { L, type CallArgs, type LayoutNode, type LocalPolicy } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import { TCLASS_USE, type SubclassRow, type TclassDef } from '../../../traffic/catalog';
import { refusal } from '../tariffication/common';
import { checkRange, traffic } from './common';

type SubclassKey = keyof Omit<SubclassRow, 'useFlags' | 'skip'>;

/** A subclass on the wire, in UTM5's order: the matched values, then the use_* flags, then skip. Declared once. */
const VALUES: readonly (readonly [wire: string, kind: 'ip' | 'int', key: SubclassKey, max: number])[] = [
  ['saddr', 'ip', 'saddr', 0],
  ['saddr_mask', 'int', 'saddrMask', 128],
  ['sport', 'int', 'sport', 65535],
  ['input', 'int', 'input', 0x7fffffff],
  ['src_as', 'int', 'srcAs', 0x7fffffff],
  ['daddr', 'ip', 'daddr', 0],
  ['daddr_mask', 'int', 'daddrMask', 128],
  ['dport', 'int', 'dport', 65535],
  ['output', 'int', 'output', 0x7fffffff],
  ['dst_as', 'int', 'dstAs', 0x7fffffff],
  ['proto', 'int', 'proto', 255],
  ['tos', 'int', 'tos', 255],
  ['nexthop', 'ip', 'nexthop', 0],
  ['tcp_flags', 'int', 'tcpFlags', 255],
  ['ip_from', 'ip', 'ipFrom', 0],
  ['nfprovider_id', 'int', 'nfproviderId', 0x7fffffff],
];
const USE: readonly (readonly [wire: string, bit: number])[] = [
  ['use_sport', TCLASS_USE.SPORT],
  ['use_input', TCLASS_USE.INPUT],
  ['use_src_as', TCLASS_USE.SRC_AS],
  ['use_dport', TCLASS_USE.DPORT],
  ['use_output', TCLASS_USE.OUTPUT],
  ['use_dst_as', TCLASS_USE.DST_AS],
  ['use_proto', TCLASS_USE.PROTO],
  ['use_tos', TCLASS_USE.TOS],
  ['use_nexthop', TCLASS_USE.NEXTHOP],
  ['use_tcp_flags', TCLASS_USE.TCP_FLAGS],
];

const subclassNodes: LayoutNode[] = [
  ...VALUES.map(([n, kind]) => (kind === 'ip' ? L.ip(n, { index: 'i' }) : L.int(n, { index: 'i' }))),
  ...USE.map(([n]) => L.int(n, { index: 'i' })),
  L.int('skip', { index: 'i' }),
];

/** The class itself after its id, then its subclasses: the same in add, edit and get. */
const classNodes: LayoutNode[] = [
  L.str('tclass_name'),
  L.int('graph_color'),
  L.int('is_display'),
  L.int('is_fill'),
  L.int('time_range_id'),
  L.int('dont_save'),
  L.int('local_traf_policy'),
  L.int('tclass_count'),
  L.for('i', '0', 'tclass_count', subclassNodes),
];

const TCLASS_COMMENT =
  'local_traf_policy: local traffic is counted 0 to the receiver, 1 to the sender, 2 to both; a subclass matches ' +
  'saddr/saddr_mask and daddr/daddr_mask, and each other value whose use_* flag is 1; skip 1: a flow the subclass matches is not of ' +
  'the class; ip_from (or nfprovider_id) limits the subclass to one NetFlow provider (0.0.0.0 / 0: any). Refusals are in the core log';

function readTclass(a: CallArgs, id: number): TclassDef {
  const where = `traffic class ${id}`;
  const subclasses = Array.from({ length: a.int('tclass_count') }, (_, i): SubclassRow => {
    const at = `${where}, subclass ${i + 1}`;
    const row: Record<string, string | number | boolean> = {};
    for (const [n, kind, key, max] of VALUES)
      row[key] = kind === 'ip' ? a.ip(n, i) : checkRange(at, n, a.int(n, i), 0, max);
    let flags = 0;
    for (const [n, bit] of USE) if (checkRange(at, n, a.int(n, i), 0, 1) === 1) flags |= bit;
    return {
      ...(row as unknown as Omit<SubclassRow, 'useFlags' | 'skip'>),
      useFlags: flags,
      skip: checkRange(at, 'skip', a.int('skip', i), 0, 1) === 1,
    };
  });
  return {
    id,
    name: a.str('tclass_name'),
    graphColor: a.int('graph_color'),
    isDisplay: a.int('is_display') !== 0,
    isFill: a.int('is_fill') !== 0,
    timeRangeId: a.int('time_range_id'),
    dontSave: a.int('dont_save') !== 0,
    localPolicy: checkRange(where, 'local_traf_policy', a.int('local_traf_policy'), 0, 2) as LocalPolicy,
    subclasses,
  };
}

export const getTclasses = defineFunction(
  'rpcf_get_tclasses',
  0x2300,
  {
    output: [
      L.int('tclass_list_size'),
      L.for('i', '0', 'tclass_list_size', [
        L.int('tclass_id', { index: 'i' }),
        L.str('tclass_name', { index: 'i' }),
        L.int('graph_color', { index: 'i' }),
        L.int('is_display', { index: 'i' }),
        L.int('is_fill', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const cs = await traffic(ctx).catalog.tclasses();
    return {
      tclass_list_size: cs.length,
      tclass_id: cs.map((c) => c.id),
      tclass_name: cs.map((c) => c.name),
      graph_color: cs.map((c) => c.graphColor),
      is_display: cs.map((c) => (c.isDisplay ? 1 : 0)),
      is_fill: cs.map((c) => (c.isFill ? 1 : 0)),
    };
  },
);

export const addTclass2 = defineFunction(
  'rpcf_add_tclass2',
  0x2305,
  {
    comment: `tclass_id: the class's id, which is also its rank (classes are tried in decreasing id order); 0 takes the next free id. ${TCLASS_COMMENT}`,
    input: [L.int('tclass_id'), ...classNodes],
  },
  async (call, ctx) => {
    const cat = traffic(ctx).catalog;
    await guarded(
      ctx,
      call,
      `add traffic class '${call.args.str('tclass_name')}'`,
      async () => {
        let id = call.args.int('tclass_id');
        if (id === 0) id = Math.max(0, ...(await cat.tclasses()).map((c) => c.id)) + 1;
        await cat.addTclass(readTclass(call.args, id));
      },
      () => undefined,
    );
    return {};
  },
);

export const getTclass = defineFunction(
  'rpcf_get_tclass',
  0x2306,
  {
    comment: `${TCLASS_COMMENT}; an unknown tclass_id ends the call without data`,
    input: [L.int('tclass_id')],
    output: classNodes,
  },
  async (call, ctx) => {
    const id = call.args.int('tclass_id');
    const c = await traffic(ctx).catalog.tclass(id);
    if (!c) throw new Error(`no traffic class ${id}`);
    const out: Record<string, string | number | (string | number)[]> = {
      tclass_name: c.name,
      graph_color: c.graphColor,
      is_display: c.isDisplay ? 1 : 0,
      is_fill: c.isFill ? 1 : 0,
      time_range_id: c.timeRangeId,
      dont_save: c.dontSave ? 1 : 0,
      local_traf_policy: c.localPolicy,
      tclass_count: c.subclasses.length,
      skip: c.subclasses.map((s) => (s.skip ? 1 : 0)),
    };
    for (const [n, , key] of VALUES) out[n] = c.subclasses.map((s) => s[key]);
    for (const [n, bit] of USE) out[n] = c.subclasses.map((s) => ((s.useFlags & bit) !== 0 ? 1 : 0));
    return out;
  },
);

export const editTclass = defineFunction(
  'rpcf_edit_tclass',
  0x2307,
  {
    comment: `the subclasses replace the class's. ${TCLASS_COMMENT}`,
    input: [L.int('tclass_id'), ...classNodes],
  },
  async (call, ctx) => {
    const id = call.args.int('tclass_id');
    await guarded(
      ctx,
      call,
      `edit traffic class ${id}`,
      () => traffic(ctx).catalog.editTclass(readTclass(call.args, id)),
      () => undefined,
    );
    return {};
  },
);

export const removeTclass = defineFunction(
  'rpcf_remove_tclass',
  0x2304,
  {
    comment:
      'result: 0 removed; -1 no such class, or a service prices, prepays or groups it (the core log says which); -3 refused for another reason',
    input: [L.int('tclass_id')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('tclass_id');
    return {
      result: await guarded(
        ctx,
        call,
        `remove traffic class ${id}`,
        async () => {
          await traffic(ctx).catalog.removeTclass(id);
          return 0;
        },
        refusal,
      ),
    };
  },
);
