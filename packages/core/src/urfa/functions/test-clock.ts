import { L } from '@utm5/protocol';
import type { TestClock } from '@utm5/common';
import { defineFunction, type HandlerContext } from '../core-function';

const result = [
  L.int('result'),
  L.str('error'),
  L.long('now'),
  L.if('result', 'ne', '0', [L.error('20', 'refused:', 'error')]),
];

async function move(
  ctx: HandlerContext,
  login: string,
  peer: string,
  target: number,
  how: (c: TestClock) => Promise<void>,
  what: string,
) {
  if (ctx.clock.kind !== 'test') {
    ctx.log.warn(`${login}@${peer}: test clock ${what} refused: test_clock is not enabled`);
    return {
      result: 1,
      error: 'the test clock is not enabled (test_clock=enable in utm5.cfg, test installations only)',
      now: ctx.clock.now(),
    };
  }
  const before = ctx.clock.now();
  // Saved first: a core stopped in the middle of a long move resumes at the time it was sent to, and catches up.
  await ctx.clockStore.save(target);
  await how(ctx.clock as TestClock);
  ctx.log.notice(`test clock ${what} by ${login}: ${before} -> ${ctx.clock.now()}`);
  return { result: 0, error: '', now: ctx.clock.now() };
}

export const getTime = defineFunction(
  'utm5ts_get_time',
  0x60000001,
  {
    comment: "UTM5-TS extension: the core's billing time and whether it is the test clock",
    output: [L.long('now'), L.int('test_clock')],
  },
  (_c, ctx) => ({ now: ctx.clock.now(), test_clock: ctx.clock.kind === 'test' ? 1 : 0 }),
);

export const setTime = defineFunction(
  'utm5ts_set_time',
  0x60000002,
  {
    comment:
      'UTM5-TS extension: set the test clock (refused unless test_clock=enable); due work runs in order. The first ' +
      'setting of a test installation may go anywhere; after it the clock only moves forward unless reset is 1 ' +
      '(charges already made stay)',
    input: [L.long('time'), L.int('reset', { default: '0' })],
    output: result,
  },
  async (call, ctx) => {
    const t = call.args.long('time');
    const now = ctx.clock.now();
    if (t < now && call.args.int('reset') !== 1 && (await ctx.clockStore.saved()) !== undefined) {
      ctx.log.warn(`${call.principal.login}@${call.peer}: test clock set back to ${t} refused (it is at ${now})`);
      return {
        result: 1,
        error:
          `${t} is before the test clock (${now}): the test clock only moves forward; give reset 1 to move a test ` +
          'installation back (what was charged stays charged)',
        now,
      };
    }
    return move(ctx, call.principal.login, call.peer, t, (c) => c.set(t), `set to ${t}`);
  },
);

export const advanceTime = defineFunction(
  'utm5ts_advance_time',
  0x60000003,
  {
    comment: 'UTM5-TS extension: advance the test clock by N seconds (refused unless test_clock=enable)',
    input: [L.long('seconds')],
    output: result,
  },
  async (call, ctx) => {
    const n = call.args.long('seconds');
    if (n < 0)
      return {
        result: 1,
        error: 'seconds must not be negative (use utm5ts_set_time to go back)',
        now: ctx.clock.now(),
      };
    return move(ctx, call.principal.login, call.peer, ctx.clock.now() + n, (c) => c.advance(n), `advanced by ${n} s`);
  },
);
