import { L, type LayoutNode } from '@utm5/protocol';
import { defineFunction, guarded, type HandlerContext } from '../../core-function';
import type { CoreFunction } from '../../core-function';
import type { SettingsSets } from '../../../billing/portal/settings-sets';
import { micro, money } from './common';

/** One field of a settings set: its wire name and type, its column, and whether it is money. */
type Field = readonly [wire: string, type: 'int' | 'double', column: string];

const COMMON: Field[] = [
  ['group_id', 'int', 'group_id'],
  ['priopity', 'int', 'priority'],
  ['is_enabled', 'int', 'is_enabled'],
];
const BALANCES: Field[] = [
  ['min_balance', 'double', 'min_balance'],
  ['use_min_balance', 'int', 'use_min_balance'],
  ['free_balance', 'double', 'free_balance'],
  ['use_free_balance', 'int', 'use_free_balance'],
  ['service_id', 'int', 'service_id'],
];

const KINDS = {
  voluntary_suspension: {
    ids: { get: 0x15010, add: 0x15011, edit: 0x15012, del: 0x15013 },
    sets: (c: HandlerContext) => c.billing!.portal.suspension,
    fields: [
      ...COMMON,
      ['min_duration', 'int', 'min_duration'],
      ['max_duration', 'int', 'max_duration'],
      ['interval_duration', 'int', 'interval_duration'],
      ['block_type', 'int', 'block_type'],
      ['self_unlock', 'int', 'self_unlock'],
      ...BALANCES,
    ] as Field[],
  },
  promised_payment: {
    ids: { get: 0x15034, add: 0x15035, edit: 0x15036, del: 0x15023 },
    sets: (c: HandlerContext) => c.billing!.portal.promised,
    fields: [
      ...COMMON,
      ['max_value', 'double', 'max_value'],
      ['max_duration', 'int', 'max_duration'],
      ['interval_duration', 'int', 'interval_duration'],
      ['min_balance', 'double', 'min_balance'],
      ['use_min_balance', 'int', 'use_min_balance'],
      ['free_balance', 'double', 'free_balance'],
      ['use_free_balance', 'int', 'use_free_balance'],
      ['service_id', 'int', 'service_id'],
      ['flags', 'int', 'flags'],
    ] as Field[],
  },
  funds_flow: {
    ids: { get: 0x15024, add: 0x15025, edit: 0x15026, del: 0x15027 },
    sets: (c: HandlerContext) => c.billing!.portal.transfers,
    fields: COMMON,
  },
} as const;

const BOOL_COLUMNS = new Set(['is_enabled', 'use_min_balance', 'use_free_balance', 'self_unlock']);
const MONEY_COLUMNS = new Set(['min_balance', 'free_balance', 'max_value']);

function node(f: Field, index?: string): LayoutNode {
  return f[1] === 'int' ? L.int(f[0], index ? { index } : {}) : L.double(f[0], index ? { index } : {});
}

/** get / add / edit / delete for one kind of settings set, derived from its field list. */
function settingsFunctions(kind: keyof typeof KINDS): CoreFunction[] {
  const k = KINDS[kind];
  const read = (a: { int(n: string): number; double(n: string): number }) =>
    Object.fromEntries(
      k.fields.map((f) => {
        const v = f[1] === 'int' ? a.int(f[0]) : a.double(f[0]);
        return [f[2], BOOL_COLUMNS.has(f[2]) ? v !== 0 : MONEY_COLUMNS.has(f[2]) ? micro(v) : v];
      }),
    );
  const sets = (c: HandlerContext): SettingsSets => k.sets(c);
  return [
    defineFunction(
      `rpcf_get_${kind}_settings`,
      k.ids.get,
      {
        output: [
          L.int('count'),
          L.for('i', '0', 'count', [L.int('id', { index: 'i' }), ...k.fields.map((f) => node(f, 'i'))]),
        ],
      },
      async (_c, ctx) => {
        const rows = await sets(ctx).list();
        const out: Record<string, (string | number)[] | number> = {
          count: rows.length,
          id: rows.map((r) => Number(r['id'])),
        };
        for (const f of k.fields) {
          out[f[0]] = rows.map((r) => (MONEY_COLUMNS.has(f[2]) ? money(Number(r[f[2]])) : Number(r[f[2]])));
        }
        return out;
      },
    ),
    defineFunction(
      `rpcf_add_${kind}_settings`,
      k.ids.add,
      {
        input: k.fields.map((f) => node(f)),
        output: [
          L.int('result'),
          L.if('result', 'eq', '0', [L.error('10', 'unable to add the settings set (the core log says why)')]),
        ],
      },
      async (call, ctx) =>
        guarded(
          ctx,
          call,
          `add ${kind} settings`,
          async () => {
            const id = await sets(ctx).add(read(call.args));
            ctx.journal(call.principal, call.peer, 'settings', `${kind} settings set ${id} added`);
            return { result: id };
          },
          () => ({ result: 0 }),
        ),
    ),
    defineFunction(
      `rpcf_edit_${kind}_settings`,
      k.ids.edit,
      {
        input: [L.int('id'), ...k.fields.map((f) => node(f))],
        output: [
          L.int('result'),
          L.if('result', 'ne', '0', [L.error('10', 'unable to change the settings set (the core log says why)')]),
        ],
      },
      async (call, ctx) =>
        guarded(
          ctx,
          call,
          `edit ${kind} settings`,
          async () => {
            await sets(ctx).edit(call.args.int('id'), read(call.args));
            ctx.journal(call.principal, call.peer, 'settings', `${kind} settings set ${call.args.int('id')} changed`);
            return { result: 0 };
          },
          () => ({ result: 1 }),
        ),
    ),
    defineFunction(
      `rpcf_delete_${kind}_settings`,
      k.ids.del,
      {
        input: [L.int('id')],
        output: [L.int('result'), L.if('result', 'ne', '0', [L.error('10', 'no such settings set')])],
      },
      async (call, ctx) =>
        guarded(
          ctx,
          call,
          `delete ${kind} settings`,
          async () => {
            await sets(ctx).remove(call.args.int('id'));
            ctx.journal(call.principal, call.peer, 'settings', `${kind} settings set ${call.args.int('id')} removed`);
            return { result: 0 };
          },
          () => ({ result: 1 }),
        ),
    ),
  ];
}

export const PORTAL_SETTINGS_FUNCTIONS: readonly CoreFunction[] = [
  ...settingsFunctions('voluntary_suspension'),
  ...settingsFunctions('promised_payment'),
  ...settingsFunctions('funds_flow'),
];
