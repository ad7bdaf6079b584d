import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded, type HandlerContext } from '../core-function';
import type { FunctionRight } from '../../system-users/system-user-service';

const userInput = [
  L.int('user_id'),
  L.str('login'),
  L.str('password'),
  L.ip('ip4_address'),
  L.int('mask4'),
  L.ip('ip6_address'),
  L.int('mask6'),
  // The reference counts this loop with size(group_id), which only a client can evaluate; counting by groups_size
  // (defaulted to that size) is the same on the wire and lets the core decode it.
  L.int('groups_size', { default: 'size(group_id)' }),
  L.for('i', '0', 'groups_size', [L.int('group_id', { index: 'i' })]),
];

function userArgs(a: CallArgs) {
  return {
    login: a.str('login'),
    password: a.str('password'),
    ip4: a.ip('ip4_address'),
    mask4: a.int('mask4'),
    ip6: a.ip('ip6_address'),
    mask6: a.int('mask6'),
    groups: a.ints('group_id'),
  };
}

/** Runs a change and journals it; a refusal becomes the function's sentinel (logged with the reason). */
async function change<T>(
  ctx: HandlerContext,
  call: { principal: { id: number; login: string }; peer: string },
  what: string,
  fn: () => Promise<T>,
  sentinel: T,
): Promise<T> {
  return guarded(
    ctx,
    call,
    what,
    async () => {
      const r = await fn();
      ctx.journal(call.principal, call.peer, 'system_user', what);
      return r;
    },
    () => sentinel,
  );
}

export const getSysUsersList = defineFunction(
  'rpcf_get_sys_users_list',
  0x4413,
  {
    output: [
      L.int('info_size'),
      L.for('i', '0', 'info_size', [
        L.int('user_id', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.ip('ip4_address', { index: 'i' }),
        L.int('mask4', { index: 'i' }),
        L.ip('ip6_address', { index: 'i' }),
        L.int('mask6', { index: 'i' }),
      ]),
    ],
  },
  (_c, ctx) => {
    const list = ctx.systemUsers.listUsers();
    return {
      info_size: list.length,
      user_id: list.map((u) => u.id),
      login: list.map((u) => u.login),
      ip4_address: list.map((u) => u.ip4),
      mask4: list.map((u) => u.mask4),
      ip6_address: list.map((u) => u.ip6),
      mask6: list.map((u) => u.mask6),
    };
  },
);

export const addSysUser = defineFunction(
  'rpcf_add_sys_user',
  0x4415,
  {
    input: userInput,
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('12', 'unable to add the system user (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const a = userArgs(call.args);
    const wanted = call.args.int('user_id');
    const id = await change(
      ctx,
      call,
      `add system user '${a.login}'`,
      () => ctx.systemUsers.addUser({ ...a, ...(wanted < 0 ? { id: wanted } : {}) }),
      0,
    );
    return { result: id };
  },
);

export const editSysUser = defineFunction(
  'rpcf_edit_sys_user',
  0x4416,
  {
    input: userInput,
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('13', 'unable to change the system user (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    const a = userArgs(call.args);
    const r = await change(
      ctx,
      call,
      `edit system user ${id} '${a.login}'`,
      async () => {
        await ctx.systemUsers.editUser({ ...a, id });
        return id;
      },
      0,
    );
    return { result: r };
  },
);

export const changeOwnPassword = defineFunction(
  'rpcf_change_own_password',
  0x2124,
  {
    comment:
      'the logged-in system user changes its own password (any system user may, whatever its groups); result 0 ' +
      'changed; the old password must match and the new one must be neither empty nor the default',
    input: [L.str('old_pass'), L.str('new_pass')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('17', 'password not changed (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    if (call.principal.kind !== 'system') return { result: 1 };
    const id = call.principal.id;
    const r = await change(
      ctx,
      call,
      `change own password of system user ${id} '${call.principal.login}'`,
      async () => {
        await ctx.systemUsers.changeOwnPassword(id, call.args.str('old_pass'), call.args.str('new_pass'));
        return 0;
      },
      1,
    );
    return { result: r };
  },
);

export const getSysUserName = defineFunction(
  'rpcf_get_sysuser_name',
  0x4408,
  {
    input: [L.int('user_id')],
    output: [L.str('login')],
  },
  (call, ctx) => ({ login: ctx.systemUsers.user(call.args.int('user_id'))?.login ?? '' }),
);

export const getSysUser = defineFunction(
  'rpcf_get_sys_user',
  0x4414,
  {
    input: [L.int('user_id')],
    output: [
      L.str('login'),
      L.ip('ip4'),
      L.int('mask4'),
      L.ip('ip6'),
      L.int('mask6'),
      L.int('groups_size'),
      L.for('i', '0', 'groups_size', [
        L.int('group_id', { index: 'i' }),
        L.str('group_name', { index: 'i' }),
        L.str('group_info', { index: 'i' }),
      ]),
    ],
  },
  (call, ctx) => {
    const u = ctx.systemUsers.user(call.args.int('user_id'));
    const groups = ctx.systemUsers.listGroups().filter((g) => u?.groups.includes(g.id));
    return {
      login: u?.login ?? '',
      ip4: u?.ip4 ?? '0.0.0.0',
      mask4: u?.mask4 ?? 0,
      ip6: u?.ip6 ?? '::',
      mask6: u?.mask6 ?? 0,
      groups_size: groups.length,
      group_id: groups.map((g) => g.id),
      group_name: groups.map((g) => g.name),
      group_info: groups.map((g) => g.info),
    };
  },
);

export const deleteSysUser = defineFunction(
  'rpcf_delete_sys_user',
  0x4410,
  { input: [L.int('user_id')] },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    await change(ctx, call, `delete system user ${id}`, () => ctx.systemUsers.removeUser(id), undefined);
    return {};
  },
);

export const getSysGroupsList = defineFunction(
  'rpcf_get_sysgroups_list',
  0x2403,
  {
    output: [
      L.int('groups_size'),
      L.for('i', '0', 'groups_size', [
        L.int('group_id', { index: 'i' }),
        L.str('group_name', { index: 'i' }),
        L.str('group_info', { index: 'i' }),
      ]),
    ],
  },
  (_c, ctx) => {
    const g = ctx.systemUsers.listGroups();
    return {
      groups_size: g.length,
      group_id: g.map((x) => x.id),
      group_name: g.map((x) => x.name),
      group_info: g.map((x) => x.info),
    };
  },
);

/** Explicit per-function rights replace the group's earlier per-function ones; its ranges (Wheel's) stay. */
function mergeRights(old: readonly FunctionRight[], fids: number[], allowed: number[]): FunctionRight[] {
  const ranges = old.filter((r) => r.from !== r.to);
  return [...ranges, ...fids.map((f, i) => ({ from: f, to: f, allowed: allowed[i] !== 0 }))];
}

function groupRights(call: { args: CallArgs }) {
  return { fids: call.args.ints('fid'), allowed: call.args.ints('allowed') };
}

const groupInput = [
  L.int('group_id'),
  L.str('group_name'),
  L.str('group_info'),
  L.int('num_of_fids', { default: 'size(fid)' }),
  L.for('i', '0', 'num_of_fids', [L.int('fid', { index: 'i' }), L.int('allowed', { index: 'i' })]),
];

export const addSysGroup = defineFunction('rpcf_add_sysgroup', 0x2404, { input: groupInput }, async (call, ctx) => {
  const id = call.args.int('group_id');
  const { fids, allowed } = groupRights(call);
  await change(
    ctx,
    call,
    `add system group ${id}`,
    async () => {
      if (ctx.systemUsers.groupMap().has(id)) throw new Error(`system group ${id} already exists`);
      await ctx.systemUsers.saveGroup({
        id,
        name: call.args.str('group_name'),
        info: call.args.str('group_info'),
        rights: mergeRights([], fids, allowed),
      });
    },
    undefined,
  );
  return {};
});

export const editSysGroup = defineFunction('rpcf_edit_sysgroup', 0x2405, { input: groupInput }, async (call, ctx) => {
  const id = call.args.int('group_id');
  const { fids, allowed } = groupRights(call);
  await change(
    ctx,
    call,
    `edit system group ${id}`,
    async () => {
      const old = ctx.systemUsers.groupMap().get(id);
      if (!old) throw new Error(`system group ${id} does not exist`);
      await ctx.systemUsers.saveGroup({
        id,
        name: call.args.str('group_name'),
        info: call.args.str('group_info'),
        rights: mergeRights(old.rights, fids, allowed),
      });
    },
    undefined,
  );
  return {};
});

export const getSysGroup = defineFunction(
  'rpcf_get_sysgroup',
  0x2406,
  {
    input: [L.int('group_id')],
    output: [
      L.str('group_name'),
      L.str('group_info'),
      L.int('info_size'),
      L.for('i', '0', 'info_size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('module', { index: 'i' }),
        L.int('fids', { index: 'i' }),
      ]),
    ],
  },
  (call, ctx) => {
    const g = ctx.systemUsers.groupMap().get(call.args.int('group_id'));
    const fns = ctx.functions.all().filter((f) => f.schema.id >= 0);
    const probe = { kind: 'system' as const, id: 0, login: '', groups: g ? [g.id] : [] };
    const allowed = (fid: number) => (g ? ctx.systemUsers.permittedByGroups(probe, fid) : false);
    return {
      group_name: g?.name ?? '',
      group_info: g?.info ?? '',
      info_size: fns.length,
      id: fns.map((f) => f.schema.id),
      name: fns.map((f) => f.schema.name),
      module: fns.map((f) => f.module),
      fids: fns.map((f) => (allowed(f.schema.id) ? 1 : 0)),
    };
  },
);

export const delSysGroup = defineFunction(
  'utm5ts_del_sysgroup',
  0x60000020,
  {
    comment: 'UTM5-TS extension: remove a system group (its members lose its rights)',
    input: [L.int('group_id')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('14', 'unable to remove the system group (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('group_id');
    const r = await change(
      ctx,
      call,
      `delete system group ${id}`,
      async () => {
        await ctx.systemUsers.removeGroup(id);
        return 0;
      },
      1,
    );
    return { result: r };
  },
);
