import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import { defineFunction, guarded, type HandlerContext } from '../../core-function';
import type { ShapingModule } from '../../../shaping/shaping-module';
import type { AccState, Direction, DirectionShaping, ShapingAttr, ShapingSettings } from '../../../shaping/settings';
import { traffic } from './common';
import { RESULT_COMMENT, refusal } from '../tariffication/common';

function shaping(ctx: HandlerContext): ShapingModule {
  return ctx.shaping;
}

/** One direction's counted classes and limits, as UTM5 lays them out (in_* then out_*). */
function directionLayout(p: Direction): LayoutNode[] {
  return [
    L.int(`${p}_tclass_count`, { default: `size(${p}_tclass_id_array)` }),
    L.for('i', '0', `${p}_tclass_count`, [L.int(`${p}_tclass_id_array`, { index: 'i' })]),
    L.int(`${p}_limits_count`, { default: `size(${p}_limits_array)` }),
    L.for('l', '0', `${p}_limits_count`, [
      L.int(`${p}_acc_states_array`, { index: 'l' }),
      L.long(`${p}_borders_array`, { index: 'l' }),
      L.int(`${p}_timeranges_array`, { index: 'l' }),
      L.int(`${p}_limits_array`, { index: 'l' }),
    ]),
  ];
}

/** Everything after service_id in add/edit, and after result in get. */
const SETTINGS: LayoutNode[] = [
  L.int('flags'),
  ...directionLayout('in'),
  ...directionLayout('out'),
  L.int('rad_count', { default: 'size(rad_vendor)' }),
  L.for('i', '0', 'rad_count', [
    L.int('rad_vendor', { index: 'i' }),
    L.int('rad_attr', { index: 'i' }),
    L.int('rad_type', { index: 'i' }),
    L.str('rad_value', { index: 'i' }),
  ]),
  L.int('settings_cnt', { default: 'size(turbo_mode_service_id)' }),
  L.for('i', '0', 'settings_cnt', [
    L.int('turbo_mode_service_id', { index: 'i' }),
    L.int('turbo_mode_incoming_rate', { index: 'i' }),
    L.int('turbo_mode_outgoing_rate', { index: 'i' }),
    L.long('turbo_mode_incoming_limit', { index: 'i' }),
    L.long('turbo_mode_outgoing_limit', { index: 'i' }),
    L.int('name', { index: 'i' }),
    L.int('turbo_mode_duration', { index: 'i' }),
    L.int('turbo_mode_acct_period_flag', { index: 'i' }),
  ]),
];

const SETTINGS_COMMENT =
  'flags: 1 VPN IP groups (used with RADIUS), 2 non-VPN IP groups (UTM5-TS reading of the bits); per direction: ' +
  "the traffic classes whose bytes in the link's accounting period count towards the borders, and limits (acc_states 0 any account, " +
  '1 not blocked, 2 blocked; border in bytes; time range id, 0 at any time; limit in Kbit/s, 1..4194303). In force: among the limits ' +
  'whose range is in force, whose account state matches and whose border the counted traffic reached, the highest border (ties: ' +
  'explicit account state, higher range priority, lower bandwidth). rad_*: RADIUS attributes sent in Access-Accept and CoA, rad_value ' +
  "with the manual's variables (IN_/OUT_BANDWIDTH_BITS|KBITS|MBITS, IN_/OUT_CISCO_NORMAL_BURST|EXTENDED_BURST; 0 for a direction " +
  'without a limit), rad_type how the value is sent: 0 integer, 1 string, 2 IPv4 address. Turbo mode settings are kept and read back, ' +
  'not acted on: UTM5-TS has no turbo mode';

function readSettings(a: CallArgs): ShapingSettings {
  const rows = (count: string) => Array.from({ length: a.int(count) }, (_, i) => i);
  const dir = (p: Direction): DirectionShaping => ({
    tclasses: rows(`${p}_tclass_count`).map((i) => a.int(`${p}_tclass_id_array`, i)),
    limits: rows(`${p}_limits_count`).map((i) => ({
      accState: a.int(`${p}_acc_states_array`, i) as AccState,
      border: a.long(`${p}_borders_array`, i),
      timeRangeId: a.int(`${p}_timeranges_array`, i),
      kbit: a.int(`${p}_limits_array`, i),
    })),
  });
  return {
    flags: a.int('flags'),
    in: dir('in'),
    out: dir('out'),
    attrs: rows('rad_count').map((i) => ({
      vendor: a.int('rad_vendor', i),
      attr: a.int('rad_attr', i),
      type: a.int('rad_type', i) as ShapingAttr['type'],
      value: a.str('rad_value', i),
    })),
    turbo: rows('settings_cnt').map((i) => ({
      serviceId: a.int('turbo_mode_service_id', i),
      inRate: a.int('turbo_mode_incoming_rate', i),
      outRate: a.int('turbo_mode_outgoing_rate', i),
      inLimit: a.long('turbo_mode_incoming_limit', i),
      outLimit: a.long('turbo_mode_outgoing_limit', i),
      name: a.int('name', i),
      duration: a.int('turbo_mode_duration', i),
      acctPeriodFlag: a.int('turbo_mode_acct_period_flag', i),
    })),
  };
}

function writeSettings(s: ShapingSettings): Record<string, number | number[] | string[]> {
  const dir = (p: Direction) => ({
    [`${p}_tclass_count`]: s[p].tclasses.length,
    [`${p}_tclass_id_array`]: [...s[p].tclasses],
    [`${p}_limits_count`]: s[p].limits.length,
    [`${p}_acc_states_array`]: s[p].limits.map((l) => l.accState),
    [`${p}_borders_array`]: s[p].limits.map((l) => l.border),
    [`${p}_timeranges_array`]: s[p].limits.map((l) => l.timeRangeId),
    [`${p}_limits_array`]: s[p].limits.map((l) => l.kbit),
  });
  return {
    flags: s.flags,
    ...dir('in'),
    ...dir('out'),
    rad_count: s.attrs.length,
    rad_vendor: s.attrs.map((x) => x.vendor),
    rad_attr: s.attrs.map((x) => x.attr),
    rad_type: s.attrs.map((x) => x.type),
    rad_value: s.attrs.map((x) => x.value),
    settings_cnt: s.turbo.length,
    turbo_mode_service_id: s.turbo.map((t) => t.serviceId),
    turbo_mode_incoming_rate: s.turbo.map((t) => t.inRate),
    turbo_mode_outgoing_rate: s.turbo.map((t) => t.outRate),
    turbo_mode_incoming_limit: s.turbo.map((t) => t.inLimit),
    turbo_mode_outgoing_limit: s.turbo.map((t) => t.outLimit),
    name: s.turbo.map((t) => t.name),
    turbo_mode_duration: s.turbo.map((t) => t.duration),
    turbo_mode_acct_period_flag: s.turbo.map((t) => t.acctPeriodFlag),
  };
}

function putShaping(name: string, id: number, mode: 'add' | 'edit') {
  return defineFunction(
    name,
    id,
    {
      comment:
        `${mode === 'add' ? 'adds shaping to an IP traffic service (refused when it has some)' : 'replaces the shaping of an IP traffic service (refused when it has none)'}; ` +
        `links are decided again at once; ${RESULT_COMMENT}. ${SETTINGS_COMMENT}`,
      input: [L.int('service_id'), ...SETTINGS],
      output: [L.int('result')],
      docs: {
        flags: '1 VPN IP groups, 2 non-VPN IP groups, 3 both',
        in_borders_array: 'bytes of the counted classes in the period from which the limit applies',
        in_timeranges_array: 'time range id (0: at any time)',
        in_limits_array: 'bandwidth, Kbit/s',
        in_acc_states_array: '0 any account, 1 not blocked, 2 blocked',
        rad_type: '0 integer, 1 string, 2 IPv4 address',
        rad_value: 'may hold IN_BANDWIDTH_KBITS and the other variables of the manual',
      },
    },
    async (call, ctx) => {
      const sid = call.args.int('service_id');
      return {
        result: await guarded(
          ctx,
          call,
          `${mode} shaping of service ${sid}`,
          async () => {
            await shaping(ctx).catalog.put(sid, readSettings(call.args), mode);
            return 0;
          },
          refusal,
        ),
      };
    },
  );
}

export const addShaping = putShaping('rpcf_add_shaping', 0x1200f, 'add');
export const editShaping = putShaping('rpcf_edit_shaping', 0x12010, 'edit');

export const getShaping = defineFunction(
  'rpcf_get_shaping',
  0x1200e,
  {
    comment: `result 0 and the service's shaping, or -1 (no shaping for service_id) and nothing more. ${SETTINGS_COMMENT}`,
    input: [L.int('service_id')],
    output: [L.int('result'), L.if('result', 'eq', '0', SETTINGS)],
  },
  async (call, ctx) => {
    const s = await shaping(ctx).catalog.get(call.args.int('service_id'));
    return s ? { result: 0, ...writeSettings(s) } : { result: -1 };
  },
);

export const deleteShaping = defineFunction(
  'rpcf_delete_shaping',
  0x12011,
  {
    comment:
      'removes the shaping of an IP traffic service (its links get Delete bandwidth limit and utm5_radius the removal); ' +
      `delete_turbo_mode_settings 1 removes the stored turbo mode settings too; ${RESULT_COMMENT}`,
    input: [L.int('service_id'), L.int('delete_turbo_mode_settings')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const sid = call.args.int('service_id');
    return {
      result: await guarded(
        ctx,
        call,
        `delete shaping of service ${sid}`,
        async () => {
          await shaping(ctx).catalog.remove(sid, call.args.int('delete_turbo_mode_settings') !== 0);
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const getShapedServices = defineFunction(
  'rpcf_get_shaped_services',
  0x12006,
  {
    comment: 'the services with shaping, in id order',
    output: [
      L.int('svc_count'),
      L.for('i', '0', 'svc_count', [
        L.int('service_id_array', { index: 'i' }),
        L.str('service_name_array', { index: 'i' }),
        L.str('service_comment_array', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const list = await shaping(ctx).catalog.services();
    return {
      svc_count: list.length,
      service_id_array: list.map((s) => s.id),
      service_name_array: list.map((s) => s.name),
      service_comment_array: list.map((s) => s.comment),
    };
  },
);

export const getSlinkShaping = defineFunction(
  'get_slink_shaping',
  0x12009,
  {
    comment:
      "result 0, or -1 no such IP traffic service link (the rest then 0 or empty); flags: the service's shaping flags (0: not shaped); " +
      'incoming_rate / outgoing_rate: the bandwidth in force in Kbit/s as text, 0 for none; turbo mode fields are always 0 (UTM5-TS has ' +
      'no turbo mode)',
    input: [L.int('slink_id')],
    output: [
      L.int('result'),
      L.int('flags'),
      L.int('turbomode_settings_id'),
      L.str('incoming_rate'),
      L.str('outgoing_rate'),
      L.int('turbo_mode_start'),
      L.int('turbo_mode_end'),
      L.long('incoming_consumption_left'),
      L.long('outgoing_consumption_left'),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('slink_id');
    const link = await traffic(ctx).catalog.ipTrafficLink(id);
    const none = {
      turbomode_settings_id: 0,
      turbo_mode_start: 0,
      turbo_mode_end: 0,
      incoming_consumption_left: 0,
      outgoing_consumption_left: 0,
    };
    if (!link) return { result: -1, flags: 0, incoming_rate: '', outgoing_rate: '', ...none };
    const s = await shaping(ctx).catalog.get(link.serviceId);
    const bw = await shaping(ctx).bandwidthOf(id);
    return {
      result: 0,
      flags: s?.flags ?? 0,
      incoming_rate: String(bw.in ?? 0),
      outgoing_rate: String(bw.out ?? 0),
      ...none,
    };
  },
);
