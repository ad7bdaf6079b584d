import { L } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';

/** rpcf_del_router's router_code on a refusal (the core log says why: an IP group or a rule uses it). */
const REFUSED = -1;

export const getRoutersList = defineFunction(
  'rpcf_get_routers_list',
  0x5043,
  {
    comment:
      'the firewalls (UTM5 routers, the NetFlow providers): router_ip is the firewall name (the rfw_name of its ' +
      'utm5_rfw), router_bin_ip its NetFlow address, router_type 0 local / 1 cisco (rsh); the password is ' +
      'write-only (listed empty); is_online 1 while its utm5_rfw is connected',
    output: [
      L.int('routers_size'),
      L.for('i', '0', 'routers_size', [
        L.int('router_id', { index: 'i' }),
        L.int('router_type', { index: 'i' }),
        L.str('router_ip', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.str('password', { index: 'i' }),
        L.str('router_comments', { index: 'i' }),
        L.ip('router_bin_ip', { index: 'i' }),
        L.int('is_online', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const fws = await ctx.rfw.firewalls.all();
    return {
      routers_size: fws.length,
      router_id: fws.map((f) => f.id),
      router_type: fws.map((f) => f.type),
      router_ip: fws.map((f) => f.name),
      login: fws.map((f) => f.login),
      password: fws.map(() => ''),
      router_comments: fws.map((f) => f.comment),
      router_bin_ip: fws.map((f) => f.ip),
      is_online: fws.map((f) => (ctx.rfw.online(f.id) ? 1 : 0)),
    };
  },
);

export const putRouter = defineFunction(
  'rpcf_put_router',
  0x501d,
  {
    comment:
      'adds (router_id 0) or edits a firewall; router_ip is its name, which must equal rfw_name in its rfw5.cfg; ' +
      'an empty password keeps the stored one on an edit; refused (call fails, the core log says why) for a taken ' +
      'name or a bad type',
    input: [
      L.int('router_id', { default: '0' }),
      L.int('router_type'),
      L.str('router_ip'),
      L.str('login'),
      L.str('password'),
      L.str('router_comments'),
      L.ip('router_bin_ip'),
    ],
    docs: {
      router_id: '0 creates a firewall, an id edits it',
      router_type: '0 local, 1 cisco (rsh)',
      router_ip: 'the firewall name: rfw_name of its utm5_rfw',
      router_bin_ip: 'the NetFlow provider address of the firewall (0.0.0.0 when it sends none)',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = await ctx.rfw.firewalls.put(a.int('router_id'), {
      type: a.int('router_type'),
      name: a.str('router_ip'),
      ip: a.ip('router_bin_ip'),
      login: a.str('login'),
      password: a.str('password'),
      comment: a.str('router_comments'),
    });
    ctx.journal(call.principal, call.peer, 'firewall', `firewall ${id} '${a.str('router_ip')}' saved`);
    return {};
  },
);

export const delRouter = defineFunction(
  'rpcf_del_router',
  0x5012,
  {
    comment:
      'removes a firewall; router_code 0 removed, -1 refused (no such firewall, or an IP group or a firewall rule ' +
      'uses it: the core log says which)',
    input: [L.int('router_id')],
    output: [L.int('router_code')],
  },
  async (call, ctx) => {
    const id = call.args.int('router_id');
    return {
      router_code: await guarded(
        ctx,
        call,
        `remove firewall ${id}`,
        async () => {
          await ctx.rfw.removeFirewall(id);
          return 0;
        },
        () => REFUSED,
      ),
    };
  },
);
