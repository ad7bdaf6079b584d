import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import type { FwRuleDef } from '../../../rfw/rule-repo';

/** The sentinel of a refused rule change (the core log says why). */
const REFUSED = -1;

const FIELDS = [
  L.int('flags'),
  L.long('events'),
  L.int('router_id'),
  L.int('tariff_id'),
  L.int('group_id'),
  L.int('user_id'),
  L.str('rule'),
  L.str('comment'),
];

const DOCS = {
  flags: '1 all users; 2 user, group and tariff combined with AND (else OR); with none of them set: all users',
  events: 'mask of initiating events: rpcf_get_fw_events and rpcf_get_fw_subst give the bits',
  router_id: 'the firewall (rpcf_get_routers_list), 0 every firewall',
  rule: 'the command template: words split as a shell would, then variables (UIP, LOGIN, ...) substituted per word',
};

const ruleDef = (a: CallArgs): FwRuleDef => ({
  flags: a.int('flags'),
  events: a.long('events'),
  routerId: a.int('router_id'),
  tariffId: a.int('tariff_id'),
  groupId: a.int('group_id'),
  userId: a.int('user_id'),
  rule: a.str('rule'),
  comment: a.str('comment'),
});

export const getFwrulesListNew = defineFunction(
  'rpcf_get_fwrules_list_new',
  0x5020,
  {
    comment: 'the firewall rules in force, by id',
    output: [
      L.int('rules_count'),
      L.for('i', '0', 'rules_count', [
        L.int('rule_id', { index: 'i' }),
        L.int('flags', { index: 'i' }),
        L.long('events', { index: 'i' }),
        L.int('router_id', { index: 'i' }),
        L.int('tariff_id', { index: 'i' }),
        L.int('group_id', { index: 'i' }),
        L.int('user_id', { index: 'i' }),
        L.str('rule', { index: 'i' }),
        L.str('comment', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const rs = await ctx.rfw.rules.all();
    return {
      rules_count: rs.length,
      rule_id: rs.map((r) => r.id),
      flags: rs.map((r) => r.flags),
      events: rs.map((r) => r.events),
      router_id: rs.map((r) => r.routerId),
      tariff_id: rs.map((r) => r.tariffId),
      group_id: rs.map((r) => r.groupId),
      user_id: rs.map((r) => r.userId),
      rule: rs.map((r) => r.rule),
      comment: rs.map((r) => r.comment),
    };
  },
);

export const addFwruleNew = defineFunction(
  'rpcf_add_fwrule_new',
  0x5021,
  {
    comment:
      'adds a firewall rule; rule_id -1: refused (unknown firewall, tariff, group or user, unknown event bits, an ' +
      'empty template or one with an unterminated quote: the core log says which)',
    input: FIELDS,
    output: [L.int('rule_id')],
    docs: DOCS,
  },
  async (call, ctx) => ({
    rule_id: await guarded(
      ctx,
      call,
      'add firewall rule',
      async () => {
        const id = await ctx.rfw.rules.add(ruleDef(call.args), ctx.clock.now());
        ctx.journal(call.principal, call.peer, 'firewall_rule', `firewall rule ${id} added`);
        return id;
      },
      () => REFUSED,
    ),
  }),
);

export const editFwruleNew = defineFunction(
  'rpcf_edit_fwrule_new',
  0x5022,
  {
    comment: 'changes a firewall rule; result 0 done, -1 refused (the core log says why; as rpcf_add_fwrule_new)',
    input: [L.int('rule_id'), ...FIELDS],
    output: [L.int('result')],
    docs: DOCS,
  },
  async (call, ctx) => {
    const id = call.args.int('rule_id');
    return {
      result: await guarded(
        ctx,
        call,
        `edit firewall rule ${id}`,
        async () => {
          await ctx.rfw.rules.edit(id, ruleDef(call.args));
          ctx.journal(call.principal, call.peer, 'firewall_rule', `firewall rule ${id} changed`);
          return 0;
        },
        () => REFUSED,
      ),
    };
  },
);

export const delFwruleNew = defineFunction(
  'rpcf_del_fwrule_new',
  0x5023,
  {
    comment: 'removes a firewall rule (its queued commands are still delivered); result 0 done, -1 no such rule',
    input: [L.int('rule_id')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('rule_id');
    return {
      result: await guarded(
        ctx,
        call,
        `remove firewall rule ${id}`,
        async () => {
          await ctx.rfw.rules.remove(id);
          ctx.journal(call.principal, call.peer, 'firewall_rule', `firewall rule ${id} removed`);
          return 0;
        },
        () => REFUSED,
      ),
    };
  },
);
