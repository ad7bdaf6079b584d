import { L } from '@utm5/protocol';
import { defineFunction } from '../core-function';

export const getSystemParameters = defineFunction(
  'utm5ts_get_system_parameters',
  0x60000030,
  {
    comment: 'UTM5-TS extension: every system parameter (Settings / Systems / Main) with its value and description',
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.str('name', { index: 'i' }),
        L.str('value', { index: 'i' }),
        L.str('description', { index: 'i' }),
      ]),
    ],
  },
  (_c, ctx) => {
    const e = ctx.params.entries();
    return {
      count: e.length,
      name: e.map(([n]) => n),
      value: e.map(([, v]) => v),
      description: e.map(([n]) => ctx.params.description(n)),
    };
  },
);

export const setSystemParameter = defineFunction(
  'utm5ts_set_system_parameter',
  0x60000031,
  {
    comment: 'UTM5-TS extension: change one system parameter; takes effect at once and is pushed to daemons',
    input: [L.str('name'), L.str('value')],
    output: [L.int('result'), L.str('error'), L.if('result', 'ne', '0', [L.error('23', 'cannot set:', 'error')])],
  },
  async (call, ctx) => {
    const name = call.args.str('name');
    const value = call.args.str('value');
    try {
      await ctx.params.set(name, value);
    } catch (err) {
      return { result: 1, error: (err as Error).message };
    }
    ctx.journal(call.principal, call.peer, 'system_parameter', `${name}=${value}`);
    return { result: 0, error: '' };
  },
);
