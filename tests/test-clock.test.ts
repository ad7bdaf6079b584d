import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { createCore } from './helpers/core-instance';
import { testDaemon } from './helpers/stream-daemon';
import { urfaclient } from './helpers/urfa';

const APRIL_1_2003 = 1049155200; // 2003-04-01 00:00 UTC

function value(xml: string, name: string, index?: number): string {
  const re = new RegExp(`name="${name}"${index === undefined ? '' : ` index="${index}"`} value="([^"]*)"`);
  const m = re.exec(xml);
  if (!m) throw new Error(`no ${name} in ${xml}`);
  return m[1]!;
}

test('the test clock: set and advanced over URFA, told to daemons over Stream, driving system services', async () => {
  const core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
  const d = testDaemon(core.streamPort, { topics: [] });
  try {
    assert.match(readFileSync(join(core.dir, 'debug.log'), 'utf8'), /test_clock is enabled/);
    await d.client.ready();
    const set = await urfaclient(core, ['-a', 'set_time', '-time', String(APRIL_1_2003)]);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(value(set.stdout, 'now'), String(APRIL_1_2003));
    await waitFor(() => d.times.includes(APRIL_1_2003), 5000, 'time over Stream');

    const adv = await urfaclient(core, ['-a', 'advance_time', '-seconds', '86400']);
    assert.equal(adv.code, 0, adv.stderr);
    assert.equal(value(adv.stdout, 'now'), String(APRIL_1_2003 + 86400));
    const get = await urfaclient(core, ['-a', 'get_time']);
    assert.equal(value(get.stdout, 'now'), String(APRIL_1_2003 + 86400));
    assert.equal(value(get.stdout, 'test_clock'), '1');

    // journal_cleaner is fixed at 03:30; session_cleaner every 5 minutes: both ran as the day went by.
    const list = await urfaclient(core, ['-a', 'system_services_list']);
    const names = [...list.stdout.matchAll(/name="name" index="(\d+)" value="([^"]+)"/g)].map(
      (m) => [m[2]!, Number(m[1])] as const,
    );
    const idx = Object.fromEntries(names);
    assert.equal(value(list.stdout, 'last_run', idx['journal_cleaner']), String(APRIL_1_2003 + 3.5 * 3600));
    assert.equal(value(list.stdout, 'last_run', idx['session_cleaner']), String(APRIL_1_2003 + 86400));
    assert.match(value(list.stdout, 'last_result', idx['journal_cleaner']), /journal_keep_days is 0/);

    // A manual run, then disabling: the fixed-time run no longer happens.
    const run = await urfaclient(core, ['-a', 'system_service_run', '-name', 'journal_cleaner']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(value(run.stdout, 'last_run'), String(APRIL_1_2003 + 86400));
    assert.equal((await urfaclient(core, ['-a', 'system_service_disable', '-name', 'journal_cleaner'])).code, 0);
    await urfaclient(core, ['-a', 'advance_time', '-seconds', '86400']);
    const after = await urfaclient(core, ['-a', 'system_services_list']);
    assert.equal(value(after.stdout, 'last_run', idx['journal_cleaner']), String(APRIL_1_2003 + 86400));
    assert.equal(value(after.stdout, 'enabled', idx['journal_cleaner']), '0');
    const bad = await urfaclient(core, [
      '-a',
      'system_service_enable',
      '-name',
      'journal_cleaner',
      '-schedule',
      'fixed 25:00',
    ]);
    assert.equal(bad.code, 22);
    assert.match(bad.stderr, /cannot change: schedule 'fixed 25:00': '25:00' is not a time HH:MM/);
    const unknown = await urfaclient(core, ['-a', 'system_service_run', '-name', 'nope']);
    assert.equal(unknown.code, 21);
  } finally {
    await d.client.stop();
    await core.cleanup();
  }
});

test('the test clock survives a restart of the core and moves back only when told reset 1', async () => {
  const core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
  try {
    // The first setting places a new test installation anywhere, here 23 years before the wall clock.
    assert.equal((await urfaclient(core, ['-a', 'set_time', '-time', String(APRIL_1_2003)])).code, 0);
    assert.equal((await urfaclient(core, ['-a', 'advance_time', '-seconds', '3600'])).code, 0);
    const back = await urfaclient(core, ['-a', 'set_time', '-time', String(APRIL_1_2003)]);
    assert.notEqual(back.code, 0, 'going back refused');
    assert.match(back.stderr, /only moves forward; give reset 1/);
    const get = async () => value((await urfaclient(core, ['-a', 'get_time'])).stdout, 'now');
    assert.equal(await get(), String(APRIL_1_2003 + 3600), 'not moved');
    await core.stop();
    await core.start();
    assert.equal(await get(), String(APRIL_1_2003 + 3600), 'where it was before the restart, not the wall clock');
    const reset = await urfaclient(core, ['-a', 'set_time', '-time', String(APRIL_1_2003), '-reset', '1']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(await get(), String(APRIL_1_2003));
  } finally {
    await core.cleanup();
  }
});
