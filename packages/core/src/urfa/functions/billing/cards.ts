import { L } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';
import { micro, money } from './common';

export const cardPoolList = defineFunction(
  'rpcf_card_pool_list',
  0x4201,
  {
    output: [
      L.int('info_size'),
      L.for('i', '0', 'info_size', [
        L.int('pool_id', { index: 'i' }),
        L.int('cards', { index: 'i' }),
        L.int('cards_used', { index: 'i' }),
        L.int('first_update', { index: 'i' }),
        L.int('last_update', { index: 'i' }),
      ]),
    ],
  },
  async (_c, ctx) => {
    const p = await ctx.billing.cards.pools();
    return {
      info_size: p.length,
      pool_id: p.map((x) => x.id),
      cards: p.map((x) => x.cards),
      cards_used: p.map((x) => x.used),
      first_update: p.map((x) => x.first),
      last_update: p.map((x) => x.last),
    };
  },
);

export const cardList = defineFunction(
  'rpcf_card_list',
  0x4200,
  {
    input: [L.int('pool_id')],
    output: [
      L.int('cpi_owners_size'),
      L.for('i', '0', 'cpi_owners_size', [L.int('owners', { index: 'i' })]),
      L.int('info_size'),
      L.int('time0'),
      L.for('i', '0', 'info_size', [
        L.int('card_id', { index: 'i' }),
        L.int('pool_id', { index: 'i' }),
        L.str('secret', { index: 'i' }),
        L.double('balance', { index: 'i' }),
        L.int('currency', { index: 'i' }),
        L.int('expire', { index: 'i' }),
        L.int('days', { index: 'i' }),
        L.int('is_used', { index: 'i' }),
        L.int('tp_id', { index: 'i' }),
        L.int('is_blocked', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('pool_id');
    const cards = await ctx.billing.cards.cards(id);
    const owners = await ctx.billing.cards.owners(id);
    return {
      cpi_owners_size: owners.length,
      owners,
      info_size: cards.length,
      time0: ctx.clock.now(),
      card_id: cards.map((c) => c.id),
      pool_id: cards.map((c) => c.poolId),
      secret: cards.map((c) => c.secret),
      balance: cards.map((c) => money(c.balance)),
      currency: cards.map((c) => c.currency),
      expire: cards.map((c) => c.expire),
      days: cards.map((c) => c.days),
      is_used: cards.map((c) => c.isUsed),
      tp_id: cards.map((c) => c.tpId),
      is_blocked: cards.map((c) => c.isBlocked),
    };
  },
);

export const cardPoolAdd = defineFunction(
  'rpcf_card_pool_add',
  0x4203,
  {
    comment:
      'pool_id 0 makes a new pool; sec_size is the PIN length (PINs are unique in the pool); service_id is the tariff card users get; random 1 gives random card numbers',
    input: [
      L.int('pool_id', { default: '0' }),
      L.int('sec_size', { default: '8' }),
      L.int('delay', { default: '0' }),
      L.int('size'),
      L.double('balance'),
      L.int('currency', { default: '810' }),
      L.int('expire', { default: 'max_time()' }),
      L.int('days', { default: '0' }),
      L.int('service_id', { default: '0' }),
      L.int('random', { default: '0' }),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    await guarded(
      ctx,
      call,
      'add card pool',
      () =>
        ctx.billing.cards.addPool(actorOf(call), {
          poolId: a.int('pool_id'),
          pinLength: a.int('sec_size'),
          count: a.int('size'),
          balance: a.double('balance'),
          currency: a.int('currency'),
          expire: a.int('expire'),
          days: a.int('days'),
          tariffId: a.int('service_id'),
          random: a.int('random') !== 0,
        }),
      () => 0,
    );
    return {};
  },
);

export const cardAdd = defineFunction(
  'rpcf_card_add',
  0x4202,
  {
    comment: 'a single card, in pool 0',
    input: [
      L.str('secret'),
      L.double('balance'),
      L.int('currency'),
      L.int('expire'),
      L.int('days'),
      L.int('is_used'),
      L.int('tp_id'),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    await guarded(
      ctx,
      call,
      'add card',
      () =>
        ctx.billing.cards.addCard(actorOf(call), {
          secret: a.str('secret'),
          balance: micro(a.double('balance')),
          currency: a.int('currency'),
          expire: a.int('expire'),
          days: a.int('days'),
          isUsed: a.int('is_used') !== 0,
          tpId: a.int('tp_id'),
        }),
      () => 0,
    );
    return {};
  },
);

const cardResult = [L.int('result'), L.if('result', 'ne', '0', [L.error('10', 'no unused card with this id')])];

export const blockCard = defineFunction(
  'rpcf_block_card',
  0x4204,
  { comment: 'result 0 done', input: [L.int('card_id')], output: cardResult },
  async (call, ctx) => ({
    result: (await ctx.billing.cards.setBlocked(actorOf(call), call.args.int('card_id'), true)) ? 0 : 1,
  }),
);

export const unblockCard = defineFunction(
  'rpcf_unblock_card',
  0x4205,
  { comment: 'result 0 done', input: [L.int('card_id')], output: cardResult },
  async (call, ctx) => ({
    result: (await ctx.billing.cards.setBlocked(actorOf(call), call.args.int('card_id'), false)) ? 0 : 1,
  }),
);

export const moveExpiredCards = defineFunction(
  'rpcf_move_expired_cards',
  0x4206,
  {
    comment: 'clears unused cards whose activate-before date has passed; result is how many',
    output: [L.int('result')],
  },
  async (_c, ctx) => ({ result: await ctx.billing.cards.clearExpired() }),
);

const ownerInput = [L.int('pool_id'), L.int('owned_id')];

export const addCardOwner = defineFunction(
  'rpcf_add_card_owner',
  0x4291,
  { comment: 'owned_id: a system user allowed to register card users from the pool', input: ownerInput },
  async (call, ctx) => {
    await ctx.billing.cards.setOwner(call.args.int('pool_id'), call.args.int('owned_id'), true);
    return {};
  },
);

export const deleteCardOwner = defineFunction(
  'rpcf_delete_card_owner',
  0x4290,
  { input: ownerInput },
  async (call, ctx) => {
    await ctx.billing.cards.setOwner(call.args.int('pool_id'), call.args.int('owned_id'), false);
    return {};
  },
);

export const user5CardPayment = defineFunction(
  'rpcf_user5_card_payment',
  -0x4205,
  {
    comment:
      'the customer activates a card: its balance is added to the account (an expiring payment when the card has days to use)',
    input: [L.int('account_id'), L.int('card_id'), L.str('secret')],
  },
  async (call, ctx) => {
    const a = call.args;
    await guarded(
      ctx,
      call,
      `card ${a.int('card_id')}`,
      () =>
        ctx.billing.cards.activateExisting(
          actorOf(call),
          call.principal.id,
          a.int('account_id'),
          a.int('card_id'),
          a.str('secret'),
        ),
      () => 0,
    );
    return {};
  },
);

export const cardRegister = defineFunction(
  'utm5ts_card_register',
  0x60000052,
  {
    comment:
      "UTM5-TS extension: a new customer activates a card (the web cabinet calls this): creates the card user card_NUM with the card's balance and tariff plan (linked in the system accounting period)",
    input: [L.int('card_id'), L.str('secret')],
    output: [
      L.int('user_id'),
      L.int('account_id'),
      L.str('login'),
      L.str('password'),
      L.str('error'),
      L.if('user_id', 'eq', '0', [L.error('18', 'card refused:', 'error')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      `card ${call.args.int('card_id')} registration`,
      async () => {
        const r = await ctx.billing.cards.registerNew(actorOf(call), call.args.int('card_id'), call.args.str('secret'));
        return { user_id: r.userId, account_id: r.accountId, login: r.login, password: r.password, error: '' };
      },
      (err) => ({ user_id: 0, account_id: 0, login: '', password: '', error: err.message }),
    ),
);
