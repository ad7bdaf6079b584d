import { L } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import { engine, refusal, RESULT_COMMENT } from './common';

const tariffServices = [
  L.int('services_count'),
  L.for('i', '0', 'services_count', [
    L.int('service_id_array', { index: 'i' }),
    L.int('service_type_array', { index: 'i' }),
    L.str('service_name_array', { index: 'i' }),
    L.str('comment_array', { index: 'i' }),
    L.int('link_by_default_array', { index: 'i' }),
    L.int('is_dynamic_array', { index: 'i' }),
  ]),
];

export const getTariffsList = defineFunction(
  'rpcf_get_tariffs_list',
  0x3024,
  {
    comment: 'balance_rollover 1: the balance is reset at the end of each accounting period',
    output: [
      L.int('tariffs_count'),
      L.for('i', '0', 'tariffs_count', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.int('create_date', { index: 'i' }),
        L.int('who_create', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.int('change_create', { index: 'i' }),
        L.int('who_change', { index: 'i' }),
        L.str('login_change', { index: 'i' }),
        L.int('expire_date', { index: 'i' }),
        L.int('is_blocked', { index: 'i' }),
        L.int('balance_rollover', { index: 'i' }),
        L.str('comment', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ts = await engine(ctx).catalog.tariffs();
    const col = (c: string, f: (v: unknown) => string | number = (v) => Number(v)) => ts.map((t) => f(t[c]));
    return {
      tariffs_count: ts.length,
      id: col('id'),
      name: col('name', String),
      create_date: col('create_date'),
      who_create: col('who_create'),
      login: col('create_login', (v) => String(v ?? '')),
      change_create: col('change_date'),
      who_change: col('who_change'),
      login_change: col('change_login', (v) => String(v ?? '')),
      expire_date: col('expire_date'),
      is_blocked: col('is_blocked', (v) => (v ? 1 : 0)),
      balance_rollover: col('zero_balance', (v) => (v ? 1 : 0)),
      comment: col('comments', String),
    };
  },
);

export const getTariffNew = defineFunction(
  'rpcf_get_tariff_new',
  0x3040,
  {
    comment: 'the services of a tariff plan; is_dynamic_array is always 0',
    input: [L.int('tariff_id')],
    output: [
      L.str('tariff_name'),
      L.int('tariff_create_date'),
      L.int('who_create'),
      L.str('who_create_login'),
      L.int('tariff_change_date'),
      L.int('who_change'),
      L.str('who_change_login'),
      L.int('tariff_balance_rollover'),
      L.str('comments'),
      ...tariffServices,
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('tariff_id');
    const cat = engine(ctx).catalog;
    const t = (await cat.tariffs()).find((x) => Number(x['id']) === id);
    if (!t) throw new Error(`no tariff plan ${id}`);
    const ss = await cat.tariffServices(id);
    return {
      tariff_name: String(t['name']),
      tariff_create_date: Number(t['create_date']),
      who_create: Number(t['who_create']),
      who_create_login: String(t['create_login'] ?? ''),
      tariff_change_date: Number(t['change_date']),
      who_change: Number(t['who_change']),
      who_change_login: String(t['change_login'] ?? ''),
      tariff_balance_rollover: t['zero_balance'] ? 1 : 0,
      comments: String(t['comments']),
      services_count: ss.length,
      service_id_array: ss.map((s) => s.id),
      service_type_array: ss.map((s) => s.type),
      service_name_array: ss.map((s) => s.name),
      comment_array: ss.map((s) => s.comment),
      link_by_default_array: ss.map((s) => (s.linkByDefault ? 1 : 0)),
      is_dynamic_array: ss.map(() => 0),
    };
  },
);

export const addTariffNew = defineFunction(
  'rpcf_add_tariff_new',
  0x3041,
  {
    comment:
      'balance_rollover 1 resets the balance at the end of each accounting period; tp_id 0: refused (see the core log)',
    input: [L.str('name'), L.int('balance_rollover'), L.str('comments')],
    output: [L.int('tp_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    return {
      tp_id: await guarded(
        ctx,
        call,
        `add tariff plan '${a.str('name')}'`,
        () =>
          engine(ctx).catalog.addTariff(
            {
              name: a.str('name'),
              comments: a.str('comments'),
              zeroBalance: a.int('balance_rollover') !== 0,
            },
            call.principal.id,
          ),
        () => 0,
      ),
    };
  },
);

export const editTariffNew = defineFunction(
  'rpcf_edit_tariff_new',
  0x3042,
  {
    comment: 'tp_id 0: refused (see the core log)',
    input: [L.int('tp_id'), L.str('name'), L.int('balance_rollover'), L.str('comments')],
    output: [L.int('tp_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('tp_id');
    return {
      tp_id: await guarded(
        ctx,
        call,
        `edit tariff plan ${id}`,
        async () => {
          await engine(ctx).catalog.editTariff(
            id,
            { name: a.str('name'), comments: a.str('comments'), zeroBalance: a.int('balance_rollover') !== 0 },
            call.principal.id,
          );
          return id;
        },
        () => 0,
      ),
    };
  },
);

export const removeTariff = defineFunction(
  'rpcf_remove_tariff',
  0x301b,
  {
    comment: `a tariff plan with tariff links is not removed; ${RESULT_COMMENT}`,
    input: [L.int('tid')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('tid');
    return {
      result: await guarded(
        ctx,
        call,
        `remove tariff plan ${id}`,
        async () => {
          await engine(ctx).catalog.removeTariff(id);
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const delServiceFromTariff = defineFunction(
  'rpcf_del_service_from_tariff',
  0x3015,
  {
    comment: `a service with links is not removed; ${RESULT_COMMENT}`,
    input: [L.int('tp_id'), L.int('sid')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const a = call.args;
    return {
      result: await guarded(
        ctx,
        call,
        `remove service ${a.int('sid')} from tariff plan ${a.int('tp_id')}`,
        async () => {
          await engine(ctx).catalog.delServiceFromTariff(a.int('tp_id'), a.int('sid'));
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const getUserTariffs = defineFunction(
  'rpcf_get_user_tariffs',
  0x3017,
  {
    comment: "the tariff links of a user (account_id 0: of all the user's accounts)",
    input: [L.int('user_id'), L.int('account_id', { default: '0' })],
    output: [
      L.int('user_tariffs_size'),
      L.for('i', '0', 'user_tariffs_size', [
        L.int('tariff_current_array', { index: 'i' }),
        L.int('tariff_next_array', { index: 'i' }),
        L.int('discount_period_id_array', { index: 'i' }),
        L.int('tariff_link_id_array', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const ts = await engine(ctx).catalog.tariffLinks.ofUser(a.int('user_id'), a.int('account_id'));
    return {
      user_tariffs_size: ts.length,
      tariff_current_array: ts.map((t) => t.current),
      tariff_next_array: ts.map((t) => t.next),
      discount_period_id_array: ts.map((t) => t.periodId),
      tariff_link_id_array: ts.map((t) => t.id),
    };
  },
);

/** account_id 0 in UTM5's tariff functions: the user's basic account. */
async function accountOf(ctx: HandlerContext, userId: number, accountId: number): Promise<number> {
  if (accountId) return accountId;
  return (await ctx.billing.users.require(userId)).basicAccount;
}

export const linkUserTariff = defineFunction(
  'rpcf_link_user_tariff',
  0x301f,
  {
    comment:
      "account_id 0: the user's basic account; tariff_link_id > 0 changes the next plan of that link; " +
      'change_now is accepted and ignored (the plan switches at the end of the period)',
    input: [
      L.int('user_id'),
      L.int('account_id', { default: '0' }),
      L.int('tariff_current'),
      L.int('tariff_next', { default: 'tariff_current' }),
      L.int('discount_period_id'),
      L.int('tariff_link_id', { default: '0' }),
      L.int('change_now', { default: '0' }),
    ],
    output: [L.int('tariff_link_id'), L.if('tariff_link_id', 'eq', '0', [L.error('13', 'unable to link user tariff')])],
  },
  async (call, ctx) => {
    const a = call.args;
    const t = engine(ctx);
    return {
      tariff_link_id: await guarded(
        ctx,
        call,
        `link tariff plan ${a.int('tariff_current')} to user ${a.int('user_id')}`,
        async () => {
          const tlinkId = a.int('tariff_link_id');
          if (tlinkId > 0) {
            await t.setNextTariff(tlinkId, a.int('tariff_next'));
            return tlinkId;
          }
          return t.linkTariff(actorOf(call), {
            accountId: await accountOf(ctx, a.int('user_id'), a.int('account_id')),
            current: a.int('tariff_current'),
            next: a.int('tariff_next'),
            periodId: a.int('discount_period_id'),
          });
        },
        () => 0,
      ),
    };
  },
);

export const unlinkUserTariff = defineFunction(
  'rpcf_unlink_user_tariff',
  0x3019,
  {
    comment: 'removes the tariff link and the service links made through it',
    input: [L.int('user_id'), L.int('account_id', { default: '0' }), L.int('tariff_link_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('tariff_link_id');
    await guarded(
      ctx,
      call,
      `unlink tariff link ${id}`,
      async () => {
        const t = engine(ctx);
        await t.unlinkTariff(
          actorOf(call),
          a.int('account_id') || ((await t.catalog.tariffLinks.get(id))?.accountId ?? 0),
          id,
        );
      },
      () => undefined,
    );
    return {};
  },
);

export const getTariffsHistory = defineFunction(
  'rpcf_get_tariffs_history',
  0x301c,
  {
    comment: 'unlink_date 0: the plan is still linked',
    input: [L.int('aid')],
    output: [
      L.int('th_count'),
      L.for('i', '0', 'th_count', [
        L.int('tariff_id', { index: 'i' }),
        L.int('link_date', { index: 'i' }),
        L.int('unlink_date', { index: 'i' }),
        L.str('tariff_name', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const hs = await engine(ctx).catalog.tariffLinks.history(call.args.int('aid'));
    return {
      th_count: hs.length,
      tariff_id: hs.map((h) => h.tariffId),
      link_date: hs.map((h) => h.linkDate),
      unlink_date: hs.map((h) => h.unlinkDate),
      tariff_name: hs.map((h) => h.tariffName),
    };
  },
);
