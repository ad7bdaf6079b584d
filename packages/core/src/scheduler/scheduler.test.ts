import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClock, nullLogger, fromZoned } from '@utm5/common';
import { tempDir } from '@utm5/common/testing';
import { SystemServiceRepo, openDatabase, verifyDatabase } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import { Scheduler } from './scheduler';
import { nextDue, parseSchedule, formatSchedule } from './schedule';

const T0 = fromZoned(2003, 4, 1, 0, 0, 0, 'UTC');

test('schedules parse, print and compute their next run', () => {
  const p = parseSchedule('periodic 5 align 2');
  assert.equal(formatSchedule(p), 'periodic 5 align 2');
  assert.equal(nextDue(p, T0, 'UTC'), T0 + 2 * 60);
  assert.equal(nextDue(p, T0 + 2 * 60, 'UTC'), T0 + 7 * 60);
  const f = parseSchedule('fixed 23:00 03:30');
  assert.equal(formatSchedule(f), 'fixed 03:30 23:00');
  assert.equal(nextDue(f, T0, 'UTC'), T0 + 3.5 * 3600);
  assert.equal(nextDue(f, T0 + 23 * 3600, 'UTC'), T0 + 86400 + 3.5 * 3600);
  assert.equal(
    nextDue(parseSchedule('fixed 00:00'), T0, 'Europe/Moscow'),
    fromZoned(2003, 4, 2, 0, 0, 0, 'Europe/Moscow'),
  );
  assert.throws(() => parseSchedule('periodic 90'), /period must be 1 to 60/);
  assert.throws(() => parseSchedule('periodic 5 align 5'), /align must be 0 to period-1/);
  assert.throws(() => parseSchedule('fixed 25:00'), /not a time HH:MM/);
  assert.throws(() => parseSchedule('weekly'), /unknown form/);
});

async function setup() {
  const t = tempDir();
  const db = await openDatabase(sqliteSettings(join(t.dir, 's.db')));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const clock = new TestClock(T0);
  const s = new Scheduler(clock, 'UTC', new SystemServiceRepo(db), nullLogger);
  return {
    db,
    clock,
    s,
    done: async () => {
      await s.stop();
      await db.close();
      t.cleanup();
    },
  };
}

test('on the test clock, services run at their times as the clock advances; state is kept', async () => {
  const { db, clock, s, done } = await setup();
  try {
    const runs: string[] = [];
    s.register({
      name: 'p',
      title: 'every 15 min',
      schedule: parseSchedule('periodic 15'),
      enabled: true,
      runGroups: [],
      run: async (now) => {
        runs.push(`p@${now - T0}`);
      },
    });
    s.register({
      name: 'f',
      title: 'fixed',
      schedule: parseSchedule('fixed 00:30'),
      enabled: true,
      runGroups: [],
      run: async (now) => {
        runs.push(`f@${now - T0}`);
        return 'did f';
      },
    });
    s.register({
      name: 'off',
      title: 'disabled',
      schedule: parseSchedule('periodic 1'),
      enabled: false,
      runGroups: [],
      run: async () => {
        runs.push('off');
      },
    });
    await s.start();
    await clock.advance(3600);
    assert.deepEqual(runs, ['p@900', 'f@1800', 'p@1800', 'p@2700', 'p@3600']);
    const f = s.list().find((x) => x.name === 'f')!;
    assert.equal(f.lastRun, T0 + 1800);
    assert.equal(f.lastResult, 'did f');
    const row = await db.knex('system_services').where({ name: 'f' }).first();
    assert.equal(Number(row.last_run), T0 + 1800);
  } finally {
    await done();
  }
});

test('manual runs, enable/disable and schedule changes', async () => {
  const { clock, s, done } = await setup();
  try {
    let n = 0;
    s.register({
      name: 'x',
      title: 'x',
      schedule: parseSchedule('fixed 12:00'),
      enabled: true,
      runGroups: [],
      run: async () => {
        n++;
      },
    });
    s.register({
      name: 'd',
      title: 'daemon',
      schedule: { kind: 'daemon' },
      enabled: true,
      runGroups: [],
      run: async () => undefined,
    });
    await s.start();
    await s.runNow('x');
    assert.equal(n, 1);
    await s.setEnabled('x', false);
    await clock.advance(86400);
    assert.equal(n, 1, 'disabled: not run at 12:00');
    await s.setEnabled('x', true);
    await s.setSchedule('x', 'periodic 30');
    await clock.advance(3600);
    assert.equal(n, 3);
    await assert.rejects(s.runNow('d'), /is a daemon/);
    await assert.rejects(s.runNow('nope'), /no system service 'nope' \(known: x, d\)/);
    await assert.rejects(s.setSchedule('x', 'daemon'), /cannot change between daemon and scheduled/);
  } finally {
    await done();
  }
});

test('services sharing a run group never run at once; the later one queues', async () => {
  const { s, done } = await setup();
  try {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    s.register({
      name: 'a',
      title: 'a',
      schedule: parseSchedule('fixed 01:00'),
      enabled: true,
      runGroups: ['db'],
      run: async () => {
        events.push('a start');
        await gate;
        events.push('a end');
      },
    });
    s.register({
      name: 'b',
      title: 'b',
      schedule: parseSchedule('fixed 01:00'),
      enabled: true,
      runGroups: ['db', 'x'],
      run: async () => {
        events.push('b run');
      },
    });
    s.register({
      name: 'c',
      title: 'c',
      schedule: parseSchedule('fixed 01:00'),
      enabled: true,
      runGroups: ['other'],
      run: async () => {
        events.push('c run');
      },
    });
    await s.start();
    const pa = s.runNow('a');
    const pb = s.runNow('b');
    const pc = s.runNow('c');
    await pc;
    const st = s.list();
    assert.equal(st.find((x) => x.name === 'a')!.running, true);
    assert.notEqual(st.find((x) => x.name === 'b')!.inQueueSince, null, 'b waits in the queue');
    release();
    await Promise.all([pa, pb]);
    assert.deepEqual(events, ['a start', 'c run', 'a end', 'b run']);
  } finally {
    await done();
  }
});

test('a failing service records its failure and does not stop the scheduler', async () => {
  const { s, done } = await setup();
  try {
    s.register({
      name: 'bad',
      title: 'bad',
      schedule: parseSchedule('periodic 5'),
      enabled: true,
      runGroups: [],
      run: async () => {
        throw new Error('disk full');
      },
    });
    await s.start();
    await s.runNow('bad');
    assert.equal(s.list()[0]!.lastResult, 'failed: disk full');
  } finally {
    await done();
  }
});
