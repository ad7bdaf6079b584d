import { L } from '@utm5/protocol';
import type { TestClock } from '@utm5/common';
import { defineFunction } from '../core-function';
import type { Core } from '../../core';

const result = [
  L.int('result'), L.str('error'), L.long('now'),
  L.if('result', 'ne', '0', [L.error('20', 'refused:', 'error')]),
];

async function move(core: Core, login: string, peer: string, how: (c: TestClock) => Promise<void>, what: string) {
  if (core.clock.kind !== 'test') {
    core.log.warn(`${login}@${peer}: test clock ${what} refused: test_clock is not enabled`);
    return { result: 1, error: 'the test clock is not enabled (test_clock=enable in utm5.cfg, test installations only)', now: core.clock.now() };
  }
  const before = core.clock.now();
  await how(core.clock as TestClock);
  core.log.notice(`test clock ${what} by ${login}: ${before} -> ${core.clock.now()}`);
  return { result: 0, error: '', now: core.clock.now() };
}

export const getTime = defineFunction('utm5ts_get_time', 0x60000001, {
  comment: "UTM5-TS extension: the core's billing time and whether it is the test clock",
  output: [L.long('now'), L.int('test_clock')],
}, (_c, core) => ({ now: core.clock.now(), test_clock: core.clock.kind === 'test' ? 1 : 0 }));

export const setTime = defineFunction('utm5ts_set_time', 0x60000002, {
  comment: 'UTM5-TS extension: set the test clock (refused unless test_clock=enable); due work runs in order',
  input: [L.long('time')],
  output: result,
}, (call, core) => {
  const t = call.args.long('time');
  return move(core, call.principal.login, call.peer, (c) => c.set(t), `set to ${t}`);
});

export const advanceTime = defineFunction('utm5ts_advance_time', 0x60000003, {
  comment: 'UTM5-TS extension: advance the test clock by N seconds (refused unless test_clock=enable)',
  input: [L.long('seconds')],
  output: result,
}, async (call, core) => {
  const n = call.args.long('seconds');
  if (n < 0) return { result: 1, error: 'seconds must not be negative (use utm5ts_set_time to go back)', now: core.clock.now() };
  return move(core, call.principal.login, call.peer, (c) => c.advance(n), `advanced by ${n} s`);
});
