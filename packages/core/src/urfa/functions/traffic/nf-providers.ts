import { L } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';

/**
 * NetFlow providers and traffic collectors (UTM5 5.3's 0x5061-0x5066). A NetFlow provider is the same object as a
 * firewall (rpcf_get_routers_list): one repository keeps both, and a change is republished to the collectors
 * (their provider lists), which apply it without a restart. The put and del functions answer error_message: empty
 * when done, else why not (also in the core log).
 */

export const getNfProvidersList = defineFunction(
  'rpcf_get_nf_providers_list',
  0x5061,
  {
    comment:
      'the NetFlow providers (the firewalls of rpcf_get_routers_list): the traffic collector that accepts each ' +
      "one's NetFlow, its name and address",
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('id', { index: 'i' }),
        L.int('collector_id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('comments', { index: 'i' }),
        L.ip('address', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ps = await ctx.rfw.firewalls.all();
    return {
      size: ps.length,
      id: ps.map((p) => p.id),
      collector_id: ps.map((p) => p.collectorId),
      name: ps.map((p) => p.name),
      comments: ps.map((p) => p.comment),
      address: ps.map((p) => p.ip),
    };
  },
);

export const putNfProvider = defineFunction(
  'rpcf_put_nf_provider',
  0x5062,
  {
    comment:
      'adds (id 0) or edits a NetFlow provider; an edit keeps its firewall settings (type, rsh login and ' +
      'password); error_message is empty when saved',
    input: [L.int('id', { default: '0' }), L.int('collector_id'), L.str('name'), L.str('comments'), L.ip('address')],
    output: [L.str('error_message')],
    docs: {
      id: '0 creates a provider, an id edits it',
      collector_id: 'the traffic collector that accepts its NetFlow (1: the System collector)',
      name: 'its name (also the rfw_name of its utm5_rfw, when it is a firewall too)',
      address: 'the source address of its NetFlow packets',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('id');
    const name = a.str('name');
    return {
      error_message: await guarded(
        ctx,
        call,
        `save NetFlow provider ${id} '${name}'`,
        async () => {
          const was = id === 0 ? undefined : await ctx.rfw.firewalls.byId(id);
          const saved = await ctx.rfw.firewalls.put(id, {
            type: was?.type ?? 0,
            login: was?.login ?? '',
            password: '',
            name,
            ip: a.ip('address'),
            comment: a.str('comments'),
            collectorId: a.int('collector_id'),
          });
          ctx.journal(call.principal, call.peer, 'nf_provider', `NetFlow provider ${saved} '${name}' saved`);
          return '';
        },
        (err) => err.message,
      ),
    };
  },
);

export const delNfProvider = defineFunction(
  'rpcf_del_nf_provider',
  0x5063,
  {
    comment: 'removes a NetFlow provider (and so its firewall); refused while an IP group or a firewall rule uses it',
    input: [L.int('id')],
    output: [L.str('error_message')],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    return {
      error_message: await guarded(
        ctx,
        call,
        `remove NetFlow provider ${id}`,
        async () => {
          await ctx.rfw.removeFirewall(id);
          ctx.journal(call.principal, call.peer, 'nf_provider', `NetFlow provider ${id} removed`);
          return '';
        },
        (err) => err.message,
      ),
    };
  },
);

export const getTrafficCollectorsList = defineFunction(
  'rpcf_get_traffic_collectors_list',
  0x5064,
  {
    comment:
      'the traffic collectors: name (the tc_name of its utm5_traffic_collector), comments, state 1 while it is ' +
      'linked to the core, 0 when not',
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('comments', { index: 'i' }),
        L.int('state', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const cs = await ctx.traffic.catalog.collectors();
    const names = cs.map((c) => String(c['name']));
    return {
      size: cs.length,
      id: cs.map((c) => Number(c['id'])),
      name: names,
      comments: cs.map((c) => String(c['comment'])),
      state: names.map((n) => (ctx.traffic.collectorOnline(n) ? 1 : 0)),
    };
  },
);

export const putTrafficCollector = defineFunction(
  'rpcf_put_traffic_collector',
  0x5065,
  {
    comment:
      'adds (id 0) or edits a traffic collector; its name is tc_name in its configuration; error_message is empty when saved',
    input: [L.int('id', { default: '0' }), L.str('name'), L.str('comments')],
    output: [L.str('error_message')],
    docs: {
      id: '0 creates a collector, an id edits it',
      name: "tc_name in the collector's utm5_traffic_collector.cfg",
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('id');
    const name = a.str('name');
    return {
      error_message: await guarded(
        ctx,
        call,
        `save traffic collector ${id} '${name}'`,
        async () => {
          const saved = await ctx.traffic.catalog.putCollector(id, { name, comment: a.str('comments') });
          ctx.journal(call.principal, call.peer, 'traffic_collector', `traffic collector ${saved} '${name}' saved`);
          return '';
        },
        (err) => err.message,
      ),
    };
  },
);

export const delTrafficCollector = defineFunction(
  'rpcf_del_traffic_collector',
  0x5066,
  {
    comment:
      'removes a traffic collector; refused for the System collector (1) and while a NetFlow provider sends to it',
    input: [L.int('id')],
    output: [L.str('error_message')],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    return {
      error_message: await guarded(
        ctx,
        call,
        `remove traffic collector ${id}`,
        async () => {
          await ctx.traffic.catalog.removeCollector(id);
          ctx.journal(call.principal, call.peer, 'traffic_collector', `traffic collector ${id} removed`);
          return '';
        },
        (err) => err.message,
      ),
    };
  },
);
