import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import { engine, refusal, RESULT_COMMENT } from './common';

const FLAGS_COMMENT =
  'flags: 0x1/0x2/0x4 recalculate the fee/traffic/telephony on link creation, 0x8 no charge without a block, ' +
  '0x10 system block on funds lack, block options (0x1 no charge, 0x2 recalculate the fee, 0x4 decrease prepaid traffic, 0x8 recalculate ' +
  'prepaid telephony) shifted 8 for administrative, 12 user, 16 system blocks, refunds 0x100000 at block end, 0x200000 on payment, ' +
  '0x400000 at period end, 0x800000 on link removal; timemark: seconds from the period start';

const policyInput = [
  L.int('flags'),
  L.str('name'),
  L.int('tm_count'),
  L.for('i', '0', 'tm_count', [L.int('timemark', { index: 'i' })]),
];

const readPolicy = (a: CallArgs) => ({
  name: a.str('name'),
  flags: a.int('flags'),
  timemarks: Array.from({ length: a.int('tm_count') }, (_, i) => a.int('timemark', i)),
});

export const getChargePolicyList = defineFunction(
  'rpcf_get_charge_policy_list',
  0x15102,
  {
    comment: FLAGS_COMMENT,
    output: [
      L.int('policy_count'),
      L.for('i', '0', 'policy_count', [
        L.int('policy_id_array', { index: 'i' }),
        L.int('flags_array', { index: 'i' }),
        L.str('name_array', { index: 'i' }),
        L.int('tm_count', { index: 'i' }),
        // The reference counts the inner loop by tm_count, which names tm_count[0] in every row; the row's own count is
        // copied to tm_size first (a set carries nothing on the wire).
        L.set({ dst: 'tm_size', src: 'tm_count', srcIndex: 'i' }),
        L.for('e', '0', 'tm_size', [L.int('timemark', { index: 'i,e' })]),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ps = await engine(ctx).catalog.policies();
    return {
      policy_count: ps.length,
      policy_id_array: ps.map((p) => p.id),
      flags_array: ps.map((p) => p.flags),
      name_array: ps.map((p) => p.name),
      tm_count: ps.map((p) => p.timemarks.length),
      timemark: ps.map((p) => p.timemarks),
    };
  },
);

export const addChargePolicy = defineFunction(
  'rpcf_add_charge_policy',
  0x15103,
  {
    comment: `${FLAGS_COMMENT}; result: the new policy's id (0 refused)`,
    input: policyInput,
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const p = readPolicy(call.args);
    return {
      result: await guarded(
        ctx,
        call,
        `add charge policy '${p.name}'`,
        () => engine(ctx).catalog.savePolicy(0, p),
        () => 0,
      ),
    };
  },
);

export const editChargePolicy = defineFunction(
  'rpcf_edit_charge_policy',
  0x15104,
  {
    comment: `${FLAGS_COMMENT}; ${RESULT_COMMENT}`,
    input: [L.int('policy_id'), ...policyInput],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('policy_id');
    return {
      result: await guarded(
        ctx,
        call,
        `edit charge policy ${id}`,
        async () => {
          if (id <= 0) throw new Error('policy_id must be > 0');
          await engine(ctx).catalog.savePolicy(id, readPolicy(call.args));
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const removeChargePolicy = defineFunction(
  'rpcf_remove_charge_policy',
  0x15105,
  {
    comment: `a policy of a service or a link is not removed; ${RESULT_COMMENT}`,
    input: [L.int('policy_id')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const id = call.args.int('policy_id');
    return {
      result: await guarded(
        ctx,
        call,
        `remove charge policy ${id}`,
        async () => {
          await engine(ctx).catalog.removePolicy(id);
          return 0;
        },
        refusal,
      ),
    };
  },
);
