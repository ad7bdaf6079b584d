import { L } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';
import { percentE6 } from '../../../billing/accounts/account-service';
import { KEEP_BLOCK, NO_END } from '../../../billing/blocking/block-types';
import { micro, money, percent } from './common';

export const getUserAccountList = defineFunction(
  'rpcf_get_user_account_list',
  0x2033,
  {
    input: [L.int('user_id')],
    output: [
      L.int('accounts_count'),
      L.for('i', '0', 'accounts_count', [L.int('account', { index: 'i' }), L.str('account_name', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    const accs = await ctx.billing.accounts.forUser(call.args.int('user_id'));
    return {
      accounts_count: accs.length,
      account: accs.map((a) => a.id),
      account_name: accs.map((a) => `account ${a.id}`),
    };
  },
);

export const addAccount = defineFunction(
  'rpcf_add_account',
  0x1510a,
  {
    input: [
      L.int('user_id'),
      L.int('is_basic', { default: '1' }),
      L.int('is_blocked', { default: '0' }),
      L.double('balance', { default: '0.0' }),
      L.double('credit', { default: '0.0' }),
      L.double('vat_rate', { default: '0.0' }),
      L.double('sale_tax_rate', { default: '0.0' }),
      L.int('int_status', { default: '1' }),
      L.int('unlimited', { default: '0' }),
      L.int('auto_enable_inet', { default: '1' }),
      // UTM5 declares external_id an integer here (a string in rpcf_save_account and everywhere else); clients send
      // a string, an empty one as a 0-byte value: 4 bytes are the integer, any other length the string.
      L.int('external_id', { default: '', intOrString: true }),
    ],
    output: [L.int('account_id'), L.if('account_id', 'eq', '0', [L.error('11', 'unable to add account')])],
  },
  async (call, ctx) => {
    const a = call.args;
    const b = ctx.billing;
    const userId = a.int('user_id');
    return guarded(
      ctx,
      call,
      `add account for user ${userId}`,
      async () => {
        const id = await b.users.addAccount(
          actorOf(call),
          userId,
          {
            balance: micro(a.double('balance')),
            credit: micro(a.double('credit')),
            vatRateE6: percentE6(a.double('vat_rate')),
            saleTaxRateE6: percentE6(a.double('sale_tax_rate')),
            intStatus: a.int('int_status') !== 0,
            unlimited: a.int('unlimited') !== 0,
            autoEnableInet: a.int('auto_enable_inet') !== 0,
            externalId: a.str('external_id') === '0' ? '' : a.str('external_id'),
            isBlocked: a.int('is_blocked'),
          },
          a.int('is_basic') !== 0,
        );
        return { account_id: id };
      },
      () => ({ account_id: 0 }),
    );
  },
);

export const saveAccount = defineFunction(
  'rpcf_save_account',
  0x1510b,
  {
    comment:
      'is_blocked: 0 lifts an administrative block, 8192 leaves the block as it is, anything else sets an administrative block',
    input: [
      L.int('account_id'),
      L.double('credit'),
      L.int('is_blocked'),
      L.if('is_blocked', 'ne', '0', [
        L.int('block_start_date', { default: 'now()' }),
        L.int('block_end_date', { default: 'max_time()' }),
      ]),
      L.double('vat_rate'),
      L.double('sale_tax_rate'),
      L.int('int_status'),
      L.int('unlimited'),
      L.int('auto_enable_inet'),
      L.str('external_id'),
      L.str('irdeto_access_card_number'),
      L.str('irdeto_stb_serial_number'),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('account_id');
    const blocked = a.int('is_blocked');
    await guarded(
      ctx,
      call,
      `save account ${id}`,
      () =>
        ctx.billing.accounts.save(actorOf(call), id, {
          credit: micro(a.double('credit')),
          isBlocked: blocked,
          blockStart: blocked !== 0 && blocked !== KEEP_BLOCK ? a.int('block_start_date') : 0,
          blockEnd: blocked !== 0 && blocked !== KEEP_BLOCK ? a.int('block_end_date') : NO_END,
          vatRateE6: percentE6(a.double('vat_rate')),
          saleTaxRateE6: percentE6(a.double('sale_tax_rate')),
          intStatus: a.int('int_status') !== 0,
          unlimited: a.int('unlimited') !== 0,
          autoEnableInet: a.int('auto_enable_inet') !== 0,
          externalId: a.str('external_id'),
          irdetoCard: a.str('irdeto_access_card_number'),
          irdetoStb: a.str('irdeto_stb_serial_number'),
        }),
      () => undefined,
    );
    return {};
  },
);

export const getAccountinfo = defineFunction(
  'rpcf_get_accountinfo',
  0x15109,
  {
    input: [L.int('account_id')],
    output: [
      L.int('is_blocked'),
      L.double('vat_rate'),
      L.double('sale_tax_rate'),
      L.double('credit'),
      L.double('balance'),
      L.int('int_status'),
      L.int('unlimited'),
      L.int('auto_enable_inet'),
      L.str('external_id'),
      L.str('irdeto_access_card_number'),
      L.str('irdeto_stb_serial_number'),
    ],
  },
  async (call, ctx) => {
    const a = await ctx.billing.accounts.require(call.args.int('account_id'));
    return {
      is_blocked: a.blockType,
      vat_rate: percent(a.vatRateE6),
      sale_tax_rate: percent(a.saleTaxRateE6),
      credit: money(a.credit),
      balance: money(a.balance),
      int_status: a.intStatus,
      unlimited: a.unlimited,
      auto_enable_inet: a.autoEnableInet,
      external_id: a.externalId,
      irdeto_access_card_number: a.irdetoCard,
      irdeto_stb_serial_number: a.irdetoStb,
    };
  },
);

export const blockAccount = defineFunction(
  'rpcf_block_account',
  0x2037,
  {
    input: [L.int('account_id'), L.int('is_blocked')],
  },
  async (call, ctx) => {
    const id = call.args.int('account_id');
    await guarded(
      ctx,
      call,
      `block account ${id}`,
      () => ctx.billing.accounts.setAdminBlock(actorOf(call), id, call.args.int('is_blocked') !== 0),
      () => undefined,
    );
    return {};
  },
);

export const removeAccount = defineFunction(
  'rpcf_remove_account',
  0x2034,
  {
    input: [L.int('account_id')],
    output: [
      L.int('ret_code'),
      L.if('ret_code', 'ne', '0', [L.error('11', 'unable to remove the account (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('account_id');
    return guarded(
      ctx,
      call,
      `remove account ${id}`,
      async () => {
        await ctx.billing.accounts.remove(actorOf(call), id);
        return { ret_code: 0 };
      },
      () => ({ ret_code: 1 }),
    );
  },
);

export const changeIntstatForUser = defineFunction(
  'rpcf_change_intstat_for_user',
  0x2003,
  {
    comment:
      'need_block 1 turns the Internet off for every account of the user, 0 turns it on (blocked accounts stay off)',
    input: [L.int('user_id'), L.int('need_block')],
  },
  async (call, ctx) => {
    const b = ctx.billing;
    for (const acc of await b.accounts.forUser(call.args.int('user_id'))) {
      await guarded(
        ctx,
        call,
        `Internet status of account ${acc.id}`,
        () => b.accounts.setInternet(actorOf(call), acc.id, call.args.int('need_block') === 0),
        () => undefined,
      );
    }
    return {};
  },
);

export const isAccountExternalIdUsed = defineFunction(
  'rpcf_is_account_external_id_used',
  0x203a,
  {
    input: [L.str('external_id')],
    output: [L.int('aid')],
  },
  async (call, ctx) => ({ aid: await ctx.billing.accounts.externalIdUsed(call.args.str('external_id')) }),
);
