import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '@utm5/common';
import { tempDir, waitFor } from '@utm5/common/testing';
import { RFW_METHOD, type RfwCommandWire } from '@utm5/protocol';
import { rfwConfig } from './config';
import { RfwDaemon } from './rfw-daemon';
import { SAMPLE_RECORDER, fakeRfwCore as fakeCore, memoryLog } from './testing';

const cmd = (seq: number, key: string, argv: string[]): RfwCommandWire => ({
  seq,
  key,
  argv,
  ruleId: 5000 + seq,
  event: 'internet_on',
  at: 1_700_000_000,
});

const recorded = (file: string): string[][] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as string[])
    : [];

test('utm5_rfw logs in as rfw_name, flushes, asks for the sync, runs EXEC batches once, and flushes again on reconnect', async () => {
  const t = tempDir('utm5-rfw-');
  const core = await fakeCore(() => ({ queued: 3 }));
  const record = join(t.dir, 'commands.log');
  process.env['UTM5_RFW_COMMAND_LOG'] = record;
  const log = memoryLog();
  const config = loadConfigText(
    rfwConfig,
    'rfw5.cfg',
    [
      'rfw_name=router-1',
      'core_host=127.0.0.1',
      `core_port=${core.port}`,
      'rfw_login=rfw',
      'rfw_password=secret-pw',
      `firewall_path=${SAMPLE_RECORDER}`,
      `firewall_flush_cmd=${SAMPLE_RECORDER} flush 'the base set'`,
      `rfw_state_file=${join(t.dir, 'state.json')}`,
      `rfw_stats_file=${join(t.dir, 'stats.json')}`,
      'retry_backoff_ms=1',
    ].join('\n'),
  ).values;
  const d = new RfwDaemon(config, log, ['enable', 'blocks']);
  try {
    await d.start();
    await waitFor(() => core.syncs.length === 1, 10_000, 'the sync call');
    assert.deepEqual(core.syncs[0], { flags: ['enable', 'blocks'] });
    assert.ok(log.lines.some((l) => l.includes('sync enable,blocks: the core queued 3 commands for router-1')));
    assert.deepEqual(recorded(record), [['flush', 'the base set']]);

    const batch = [cmd(10, 'a7', ['add', 'element', '10.1.0.5']), cmd(12, 'a7', ['delete', '10.1.0.6'])];
    const r = await core.exec(batch);
    assert.deepEqual(
      r.results.map((x) => [x.seq, x.status]),
      [
        [10, 'ok'],
        [12, 'ok'],
      ],
    );

    await assert.rejects(
      core
        .live()
        .at(-1)!
        .call(RFW_METHOD.EXEC, { commands: [{ seq: -1 }] }, 5000),
      /malformed rfw_exec/,
    );

    // The link drops (the reply was lost, say): the next link flushes first, and the resend is not run again.
    for (const l of core.links) await l.shutdown();
    await waitFor(() => core.live().length === 1 && core.links.length === 2, 10_000, 'the reconnect');
    const again = await core.exec([...batch, cmd(15, 'a7', ['delete', '10.1.0.5'])]);
    assert.deepEqual(
      again.results.map((x) => x.status),
      ['duplicate', 'duplicate', 'ok'],
    );
    assert.deepEqual(recorded(record), [
      ['flush', 'the base set'],
      ['add', 'element', '10.1.0.5'],
      ['delete', '10.1.0.6'],
      ['flush', 'the base set'],
      ['delete', '10.1.0.5'],
    ]);
    assert.deepEqual(d.snapshot(), {
      ok: 3,
      failed: 0,
      duplicate: 2,
      retries: 0,
      batches: 2,
      running: 0,
      queued: 0,
      last_seq: 15,
      connected: true,
    });
    await waitFor(() => existsSync(join(t.dir, 'stats.json')), 5000, 'the stats file');
    // The password never reaches the log; the argv only at debug.
    assert.ok(!log.lines.some((l) => l.includes('secret-pw')));
    assert.ok(log.lines.filter((l) => l.includes('"add","element"')).every((l) => l.startsWith('debug:')));
  } finally {
    await d.stop();
    await core.close();
    delete process.env['UTM5_RFW_COMMAND_LOG'];
    t.cleanup();
  }
});

test('no sync flags: no sync call; a refused sync is logged, not fatal', async () => {
  const t = tempDir('utm5-rfw-');
  const core = await fakeCore(() => {
    throw new Error("no firewall named 'nobody' (register it with rpcf_put_router)");
  });
  const base = [
    'core_host=127.0.0.1',
    `core_port=${core.port}`,
    'rfw_login=rfw',
    'rfw_password=secret-pw',
    'firewall_path=/bin/true',
  ];
  const quietD = new RfwDaemon(
    loadConfigText(rfwConfig, 'a.cfg', [...base, 'rfw_name=a', `rfw_state_file=${join(t.dir, 'a.json')}`].join('\n'))
      .values,
    memoryLog(),
    [],
  );
  const log = memoryLog();
  const refused = new RfwDaemon(
    loadConfigText(
      rfwConfig,
      'b.cfg',
      [...base, 'rfw_name=nobody', `rfw_state_file=${join(t.dir, 'b.json')}`].join('\n'),
    ).values,
    log,
    ['users'],
  );
  try {
    await quietD.start();
    await refused.start();
    await waitFor(() => log.lines.some((l) => l.startsWith('error: sync users refused')), 10_000, 'the refusal');
    assert.ok(log.lines.some((l) => l.includes('register it with rpcf_put_router')));
    assert.deepEqual(core.syncs, [{ flags: ['users'] }], 'only the RFW with flags asked');
  } finally {
    await quietD.stop();
    await refused.stop();
    await core.close();
    t.cleanup();
  }
});

test('stop: the running command finishes and is reported, the rest of the batch is left for the core', async () => {
  const t = tempDir('utm5-rfw-');
  const core = await fakeCore(() => ({ queued: 0 }));
  const config = loadConfigText(
    rfwConfig,
    'rfw5.cfg',
    [
      'rfw_name=router-1',
      'core_host=127.0.0.1',
      `core_port=${core.port}`,
      'rfw_password=secret-pw',
      'dont_fork=yes',
      `rfw_state_file=${join(t.dir, 'state.json')}`,
    ].join('\n'),
  ).values;
  const d = new RfwDaemon(config, memoryLog(), []);
  try {
    await d.start();
    await waitFor(() => core.live().length === 1, 10_000, 'the login');
    const reply = core.exec([cmd(1, 'k', ['/bin/sleep', '0.5']), cmd(2, 'k', ['/bin/true'])]);
    await new Promise((r) => setTimeout(r, 100));
    await d.stop();
    const r = await reply;
    assert.deepEqual(
      r.results.map((x) => [x.seq, x.status]),
      [[1, 'ok']],
    );
    assert.equal(d.state.has(2), false, 'not run: the core sends it again');
  } finally {
    await d.stop();
    await core.close();
    t.cleanup();
  }
});
