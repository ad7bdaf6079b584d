import { L } from '@utm5/protocol';
import { defineFunction } from '../core-function';

export const listServices = defineFunction(
  'utm5ts_system_services_list',
  0x60000010,
  {
    comment: "UTM5-TS extension: the core's system services (scheduler) and their state",
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.str('name', { index: 'i' }),
        L.str('title', { index: 'i' }),
        L.str('schedule', { index: 'i' }),
        L.int('enabled', { index: 'i' }),
        L.str('run_groups', { index: 'i' }),
        L.long('last_run', { index: 'i' }),
        L.int('last_duration_ms', { index: 'i' }),
        L.str('last_result', { index: 'i' }),
        L.long('in_queue_since', { index: 'i' }),
        L.int('running', { index: 'i' }),
      ]),
    ],
  },
  (_c, ctx) => {
    const s = ctx.scheduler.list();
    return {
      count: s.length,
      name: s.map((x) => x.name),
      title: s.map((x) => x.title),
      schedule: s.map((x) => x.schedule),
      enabled: s.map((x) => x.enabled),
      run_groups: s.map((x) => x.runGroups.join(',')),
      last_run: s.map((x) => x.lastRun ?? 0),
      last_duration_ms: s.map((x) => x.lastDurationMs ?? 0),
      last_result: s.map((x) => x.lastResult),
      in_queue_since: s.map((x) => x.inQueueSince ?? 0),
      running: s.map((x) => x.running),
    };
  },
);

export const runService = defineFunction(
  'utm5ts_system_service_run',
  0x60000011,
  {
    comment: 'UTM5-TS extension: run a system service now (queued behind its run groups); returns when it has run',
    input: [L.str('name')],
    output: [
      L.int('result'),
      L.str('error'),
      L.long('last_run'),
      L.str('last_result'),
      L.if('result', 'ne', '0', [L.error('21', 'cannot run:', 'error')]),
    ],
  },
  async (call, ctx) => {
    const name = call.args.str('name');
    try {
      await ctx.scheduler.runNow(name);
    } catch (err) {
      return { result: 1, error: (err as Error).message, last_run: 0, last_result: '' };
    }
    ctx.journal(call.principal, call.peer, 'system_service', `run ${name}`);
    const st = ctx.scheduler.list().find((x) => x.name === name)!;
    return { result: 0, error: '', last_run: st.lastRun ?? 0, last_result: st.lastResult };
  },
);

export const setService = defineFunction(
  'utm5ts_system_service_set',
  0x60000012,
  {
    comment: 'UTM5-TS extension: enable or disable a system service, optionally with a new schedule',
    input: [L.str('name'), L.int('enabled'), L.str('schedule', { default: '' })],
    output: [L.int('result'), L.str('error'), L.if('result', 'ne', '0', [L.error('22', 'cannot change:', 'error')])],
  },
  async (call, ctx) => {
    const name = call.args.str('name');
    const schedule = call.args.str('schedule');
    try {
      if (schedule.trim() !== '') await ctx.scheduler.setSchedule(name, schedule);
      await ctx.scheduler.setEnabled(name, call.args.int('enabled') !== 0);
    } catch (err) {
      return { result: 1, error: (err as Error).message };
    }
    ctx.journal(
      call.principal,
      call.peer,
      'system_service',
      `set ${name} enabled=${call.args.int('enabled')} ${schedule}`,
    );
    return { result: 0, error: '' };
  },
);
