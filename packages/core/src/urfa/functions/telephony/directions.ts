import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';
import type { DirSearch, TelDirectionDef, TelDirectionRow } from '../../../telephony/catalog';
import { REFUSED, settled, skipIds, tel } from './common';

const DIR_INPUT: LayoutNode[] = [
  L.int('zone_id', { default: '0' }),
  L.str('name'),
  L.str('calling_prefix', { default: '' }),
  L.str('called_prefix', { default: '' }),
  L.str('incoming_trunk', { default: '' }),
  L.str('outgoing_trunk', { default: '' }),
  L.str('pbx_id', { default: '' }),
  L.int('calling_prefix_regexp', { default: '1' }),
  L.int('called_prefix_regexp', { default: '1' }),
  L.int('skip', { default: '0' }),
  L.int('dir_type'),
];

const DIR_COMMENT =
  'zone_id 0: in no zone; *_prefix_regexp 1: the prefix is a POSIX extended regular expression matched from the ' +
  "number's start (refused when it does not compile), 0: a plain prefix; empty prefixes, trunks and pbx_id match any " +
  'call; skip 1: calls whose first matching direction this is are not accounted; dir_type is kept only in no zone (in ' +
  "a zone it is the zone's type); directions are tried in descending order of called prefix, calling prefix, incoming " +
  'trunk, outgoing trunk, the first match wins; a second direction with the same prefixes, trunks and PBX id is refused';

const dirDef = (a: CallArgs): TelDirectionDef => ({
  zoneId: a.int('zone_id'),
  name: a.str('name'),
  callingPrefix: a.str('calling_prefix'),
  calledPrefix: a.str('called_prefix'),
  incomingTrunk: a.str('incoming_trunk'),
  outgoingTrunk: a.str('outgoing_trunk'),
  pbxId: a.str('pbx_id'),
  callingRegexp: a.int('calling_prefix_regexp') !== 0,
  calledRegexp: a.int('called_prefix_regexp') !== 0,
  skip: a.int('skip') !== 0,
  dirType: a.int('dir_type'),
});

export const addTelDirection = defineFunction(
  'rpcf_add_tel_direction',
  0x10300,
  {
    comment: `adds a telephone direction; ${DIR_COMMENT}; dir_id -1: refused (the core log says why)`,
    input: DIR_INPUT,
    output: [L.int('dir_id')],
    docs: {
      called_prefix_regexp: '1: called_prefix is a regular expression, 0: a prefix',
      calling_prefix_regexp: '1: calling_prefix is a regular expression, 0: a prefix',
      skip: '1: calls of this direction are not accounted',
    },
  },
  async (call, ctx) => ({
    dir_id: await guarded(
      ctx,
      call,
      `add telephone direction '${call.args.str('name')}'`,
      async () => settled(ctx, await tel(ctx).addDirection(actorOf(call), dirDef(call.args))),
      () => REFUSED,
    ),
  }),
);

export const editTelDirection = defineFunction(
  'rpcf_edit_tel_direction',
  0x10301,
  {
    comment: `${DIR_COMMENT}; dir_id -1: refused (the core log says why)`,
    input: [L.int('dir_id'), ...DIR_INPUT],
    output: [L.int('dir_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('dir_id');
    return {
      dir_id: await guarded(
        ctx,
        call,
        `edit telephone direction ${id}`,
        async () => {
          await tel(ctx).editDirection(actorOf(call), id, dirDef(call.args));
          return settled(ctx, id);
        },
        () => REFUSED,
      ),
    };
  },
);

export const removeTelDirection = defineFunction(
  'rpcf_remove_tel_direction',
  0x10302,
  {
    comment:
      'removes a direction no telephony service prices on its own (refused otherwise); dir_id -1: refused (the core log says why)',
    input: [L.int('dir_id')],
    output: [L.int('dir_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('dir_id');
    return {
      dir_id: await guarded(
        ctx,
        call,
        `remove telephone direction ${id}`,
        async () => {
          await tel(ctx).removeDirection(actorOf(call), id);
          return settled(ctx, id);
        },
        () => REFUSED,
      ),
    };
  },
);

export const getTelDirection = defineFunction(
  'rpcf_get_tel_direction',
  0x10306,
  {
    comment: 'dir_id -1: no such direction; *_prefix_regexp 1: the prefix is a regular expression',
    input: [L.int('dir_id')],
    output: [
      L.int('dir_id'),
      L.if('dir_id', 'ne', '-1', [
        L.int('zone_id'),
        L.int('supplier_id'),
        L.str('name'),
        L.str('calling_prefix'),
        L.str('called_prefix'),
        L.str('incoming_trunk'),
        L.str('outgoing_trunk'),
        L.str('pbx_id'),
        L.int('calling_prefix_regexp'),
        L.int('called_prefix_regexp'),
        L.int('skip'),
        L.int('create_date'),
        L.int('update_date'),
      ]),
    ],
  },
  async (call, ctx) => {
    const d = await tel(ctx).direction(call.args.int('dir_id'));
    if (!d) return { dir_id: -1 };
    return {
      dir_id: d.id,
      zone_id: d.zoneId,
      supplier_id: d.supplierId,
      name: d.name,
      calling_prefix: d.callingPrefix,
      called_prefix: d.calledPrefix,
      incoming_trunk: d.incomingTrunk,
      outgoing_trunk: d.outgoingTrunk,
      pbx_id: d.pbxId,
      calling_prefix_regexp: d.callingRegexp ? 1 : 0,
      called_prefix_regexp: d.calledRegexp ? 1 : 0,
      skip: d.skip ? 1 : 0,
      create_date: d.createDate,
      update_date: d.updateDate,
    };
  },
);

const SKIP_INPUT: LayoutNode[] = [
  L.int('skip_ids_cnt'),
  L.for('i', '0', 'skip_ids_cnt', [L.int('skip_id', { index: 'i' })]),
];

const ROWS: LayoutNode[] = [
  L.int('dir_count'),
  L.for('i', '0', 'dir_count', [
    L.int('dir_id_array', { index: 'i' }),
    L.int('zone_id_array', { index: 'i' }),
    L.int('supplier_id_array', { index: 'i' }),
    L.str('dir_name_array', { index: 'i' }),
    L.str('calling_prefix_array', { index: 'i' }),
    L.str('called_prefix_array', { index: 'i' }),
    L.int('create_date_array', { index: 'i' }),
    L.int('update_date_array', { index: 'i' }),
  ]),
];

function rows(ds: readonly TelDirectionRow[]) {
  return {
    dir_count: ds.length,
    dir_id_array: ds.map((d) => d.id),
    zone_id_array: ds.map((d) => d.zoneId),
    supplier_id_array: ds.map((d) => d.supplierId),
    dir_name_array: ds.map((d) => d.name),
    calling_prefix_array: ds.map((d) => d.callingPrefix),
    called_prefix_array: ds.map((d) => d.calledPrefix),
    create_date_array: ds.map((d) => d.createDate),
    update_date_array: ds.map((d) => d.updateDate),
  };
}

export const telDirectionsList = defineFunction(
  'rpcf_tel_directions_list',
  0x1031d,
  {
    comment:
      'the directions in force by id, without the skip_id ones, from start (0 the first), at most count (0: all)',
    input: [L.int('start'), L.int('count'), ...SKIP_INPUT],
    output: ROWS,
  },
  async (call, ctx) => {
    const a = call.args;
    return rows(await tel(ctx).directions(skipIds(a), a.int('start'), a.int('count')));
  },
);

export const getTelDirectionsCount = defineFunction(
  'rpcf_get_tel_directions_count',
  0x1031e,
  {
    comment: 'how many directions are in force, without the skip_id ones',
    input: SKIP_INPUT,
    output: [L.int('count')],
  },
  async (call, ctx) => ({ count: await tel(ctx).directionCount(skipIds(call.args)) }),
);

const SEARCH_INPUT: LayoutNode[] = [
  L.int('status'),
  L.int('params_cnt'),
  L.for('i', '0', 'params_cnt', [
    L.int('field', { index: 'i' }),
    L.int('criteria', { index: 'i' }),
    L.str('value', { index: 'i' }),
  ]),
  ...SKIP_INPUT,
];

const SEARCH_COMMENT =
  'status 0: every condition must hold, 1: any one; field: 1 id, 2 name, 3 zone id, 4 calling prefix, 5 called prefix, ' +
  '6 incoming trunk, 7 outgoing trunk, 8 PBX id, 9 skip (0/1), 10 create date, 11 update date; criteria: 1 LIKE (% any ' +
  'characters, _ one), 3 =, 4 <>, 7 >, 8 <, 9 >=, 10 <=, 11 NOT LIKE; numeric fields compare as numbers; directions ' +
  'by id, without the skip_id ones';

function search(a: CallArgs): DirSearch {
  return {
    any: a.int('status') === 1,
    params: Array.from({ length: a.int('params_cnt') }, (_, i) => ({
      field: a.int('field', i),
      criteria: a.int('criteria', i),
      value: a.str('value', i),
    })),
    skipIds: skipIds(a),
  };
}

export const searchTelDirs = defineFunction(
  'rpcf_search_tel_dirs',
  0x1032b,
  {
    comment: `${SEARCH_COMMENT}; from offset (0 the first), at most count (0: all); a bad condition answers no rows (the core log says why)`,
    input: [...SEARCH_INPUT, L.int('offset'), L.int('count')],
    output: ROWS,
  },
  async (call, ctx) => {
    const a = call.args;
    const found = await guarded(
      ctx,
      call,
      'search telephone directions',
      () => tel(ctx).searchDirections(search(a), a.int('offset'), a.int('count')),
      () => [],
    );
    return rows(found);
  },
);

export const getFoundedTelDirsCount = defineFunction(
  'rpcf_get_founded_tel_dirs_count',
  0x1031f,
  {
    comment: `how many directions rpcf_search_tel_dirs finds; ${SEARCH_COMMENT}; -1: a bad condition (the core log says why)`,
    input: SEARCH_INPUT,
    output: [L.int('count')],
  },
  async (call, ctx) => ({
    count: await guarded(
      ctx,
      call,
      'count telephone directions found',
      async () => (await tel(ctx).searchDirections(search(call.args))).length,
      () => -1,
    ),
  }),
);
