import { L } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';

const list = (rows: { id: number; name: string }[], count: string) => ({
  [count]: rows.length,
  group_id: rows.map((g) => g.id),
  group_name: rows.map((g) => g.name),
});

export const getGroupsList = defineFunction(
  'rpcf_get_groups_list',
  0x2400,
  {
    comment: 'every user group (user_id is accepted and not used)',
    input: [L.int('user_id', { default: '0' })],
    output: [
      L.int('groups_count'),
      L.for('i', '0', 'groups_count', [L.int('group_id', { index: 'i' }), L.str('group_name', { index: 'i' })]),
    ],
  },
  async (_c, ctx) => list(await ctx.billing.groups.list(), 'groups_count'),
);

export const addGroup = defineFunction(
  'rpcf_add_group',
  0x2401,
  { input: [L.int('group_id'), L.str('group_name')] },
  async (call, ctx) => {
    await guarded(
      ctx,
      call,
      'add user group',
      () =>
        ctx.billing.groups
          .add(call.args.int('group_id'), call.args.str('group_name'))
          .then(() =>
            ctx.journal(call.principal, call.peer, 'settings', `user group ${call.args.int('group_id')} added`),
          ),
      () => undefined,
    );
    return {};
  },
);

export const editGroup = defineFunction(
  'rpcf_edit_group',
  0x2402,
  { input: [L.int('group_id'), L.str('group_name')] },
  async (call, ctx) => {
    await guarded(
      ctx,
      call,
      'rename user group',
      () =>
        ctx.billing.groups
          .rename(call.args.int('group_id'), call.args.str('group_name'))
          .then(() =>
            ctx.journal(call.principal, call.peer, 'settings', `user group ${call.args.int('group_id')} renamed`),
          ),
      () => undefined,
    );
    return {};
  },
);

export const delGroup = defineFunction('rpcf_del_group', 0x240b, { input: [L.int('group_id')] }, async (call, ctx) => {
  await guarded(
    ctx,
    call,
    'remove user group',
    () =>
      ctx.billing.groups
        .remove(call.args.int('group_id'))
        .then(() =>
          ctx.journal(call.principal, call.peer, 'settings', `user group ${call.args.int('group_id')} removed`),
        ),
    () => undefined,
  );
  return {};
});

export const addUsersToGroup = defineFunction(
  'rpcf_add_users_to_group',
  0x2407,
  {
    input: [
      L.int('group_id'),
      L.int('count', { default: 'size(user_id)' }),
      L.for('i', '0', 'count', [L.int('user_id', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    await guarded(
      ctx,
      call,
      'add users to group',
      () => ctx.billing.users.addToGroup(actorOf(call), call.args.ints('user_id'), call.args.int('group_id')),
      () => undefined,
    );
    return {};
  },
);

export const removeUserFromGroup = defineFunction(
  'rpcf_remove_user_from_group',
  0x2408,
  { input: [L.int('user_id'), L.int('group_id')] },
  async (call, ctx) => {
    await ctx.billing.users.removeFromGroup(actorOf(call), call.args.int('user_id'), call.args.int('group_id'));
    return {};
  },
);

export const getGroupInfo = defineFunction(
  'rpcf_get_group_info',
  0x2409,
  {
    input: [L.int('group_id')],
    output: [
      L.str('group_name'),
      L.int('user_id_size'),
      L.for('i', '0', 'user_id_size', [L.int('user_id', { index: 'i' }), L.str('login', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('group_id');
    const g = (await ctx.billing.groups.list()).find((x) => x.id === id);
    const m = await ctx.billing.groups.members(id);
    return {
      group_name: g?.name ?? '',
      user_id_size: m.length,
      user_id: m.map((x) => x.id),
      login: m.map((x) => x.login),
    };
  },
);

export const getGroupIdByName = defineFunction(
  'rpcf_get_group_id_by_name',
  0x240c,
  { input: [L.str('group_name')], output: [L.int('group_id')] },
  async (call, ctx) => ({ group_id: await ctx.billing.groups.byName(call.args.str('group_name')) }),
);

export const getGroupsForUser = defineFunction(
  'rpcf_get_groups_for_user',
  0x2550,
  {
    input: [L.int('user_id')],
    output: [
      L.int('groups_size'),
      L.for('i', '0', 'groups_size', [L.int('group_id', { index: 'i' }), L.str('group_name', { index: 'i' })]),
    ],
  },
  async (call, ctx) => list(await ctx.billing.users.groupsOf(call.args.int('user_id')), 'groups_size'),
);

export const addGroupToUser = defineFunction(
  'rpcf_add_group_to_user',
  0x2552,
  { input: [L.int('user_id'), L.int('group_id')] },
  async (call, ctx) => {
    await guarded(
      ctx,
      call,
      'add group to user',
      () => ctx.billing.users.addToGroup(actorOf(call), [call.args.int('user_id')], call.args.int('group_id')),
      () => undefined,
    );
    return {};
  },
);
