import { CORE_VERSION_STRING, UTM5_TS_VERSION } from '@utm5/common';
import { L } from '@utm5/protocol';
import { defineFunction } from '../core-function';

export const coreVersion = defineFunction('rpcf_core_version', 0x0045, { output: [L.str('core_version')] }, () => ({
  core_version: CORE_VERSION_STRING,
}));

export const coreBuild = defineFunction('rpcf_core_build', 0x0046, { output: [L.str('build')] }, () => ({
  build: `UTM5-TS ${UTM5_TS_VERSION} node ${process.version}`,
}));

export const coreVersionUser = defineFunction(
  'rpcf_core_version_user',
  -0x0045,
  { output: [L.str('version')] },
  () => ({ version: CORE_VERSION_STRING }),
);

export const liburfaList = defineFunction(
  'rpcf_liburfa_list',
  0x0040,
  {
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.str('module', { index: 'i' }),
        L.str('version', { index: 'i' }),
        L.str('path', { index: 'i' }),
      ]),
    ],
  },
  () => ({ size: 1, module: ['core'], version: [UTM5_TS_VERSION], path: ['built-in'] }),
);

export const liburfaSymtab = defineFunction(
  'rpcf_liburfa_symtab',
  0x0044,
  {
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('module', { index: 'i' }),
      ]),
    ],
  },
  (_call, ctx) => {
    const fns = ctx.functions.all();
    return {
      size: fns.length,
      id: fns.map((f) => f.schema.id),
      name: fns.map((f) => f.schema.name),
      module: fns.map((f) => f.module),
    };
  },
);

export const whoami = defineFunction(
  'rpcf_whoami',
  0x4417,
  {
    output: [
      L.int('my_uid'),
      L.str('login'),
      L.ip('user_ip4'),
      L.int('user_mask4'),
      L.ip('user_ip6'),
      L.int('user_mask6'),
      L.int('system_group_size'),
      L.for('i', '0', 'system_group_size', [
        L.int('system_group_id', { index: 'i' }),
        L.str('system_group_name', { index: 'i' }),
        L.str('system_group_info', { index: 'i' }),
      ]),
      L.int('allowed_fids_size'),
      L.for('i', '0', 'allowed_fids_size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('module', { index: 'i' }),
      ]),
      L.int('not_allowed_size'),
      L.for('i', '0', 'not_allowed_size', [
        L.int('id_not_allowed', { index: 'i' }),
        L.str('name_not_allowed', { index: 'i' }),
        L.str('module_not_allowed', { index: 'i' }),
      ]),
    ],
  },
  (call, ctx) => {
    const users = ctx.systemUsers;
    const u = users.user(call.principal.id);
    const groups = users.listGroups().filter((g) => u?.groups.includes(g.id));
    const fns = ctx.functions.all();
    const allowed = fns.filter((f) => users.permitted(call.principal, f.schema.id));
    const refused = fns.filter((f) => !users.permitted(call.principal, f.schema.id));
    return {
      my_uid: call.principal.id,
      login: call.principal.login,
      user_ip4: u?.ip4 ?? '0.0.0.0',
      user_mask4: u?.mask4 ?? 0,
      user_ip6: u?.ip6 ?? '::',
      user_mask6: u?.mask6 ?? 0,
      system_group_size: groups.length,
      system_group_id: groups.map((g) => g.id),
      system_group_name: groups.map((g) => g.name),
      system_group_info: groups.map((g) => g.info),
      allowed_fids_size: allowed.length,
      id: allowed.map((f) => f.schema.id),
      name: allowed.map((f) => f.schema.name),
      module: allowed.map((f) => f.module),
      not_allowed_size: refused.length,
      id_not_allowed: refused.map((f) => f.schema.id),
      name_not_allowed: refused.map((f) => f.schema.name),
      module_not_allowed: refused.map((f) => f.module),
    };
  },
);
