import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from './helpers/core-instance';
import { createCollector } from './helpers/collector-instance';
import { startProgram } from './helpers/process';
import { MB, readTraffic, setUpTraffic } from './helpers/traffic-setup';

const IP = '10.7.0.1';

function flowgen(port: number, count: number, pps: number) {
  return startProgram('utm5_flowgen', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-v',
    '5',
    '-c',
    String(count),
    '-b',
    String(MB),
    '-s',
    '192.0.2.1',
    '-d',
    IP,
    '-t',
    String(pps),
  ]);
}

test(
  'the core killed mid-stream, then the collector killed while the core is down: every flow is charged exactly once',
  { timeout: 180_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    const { accounts } = await setUpTraffic(core, [{ ip: IP, costPerMb: 1 }]);
    await core.start();
    const tc = await createCollector(core);
    try {
      await tc.until('the link and the IP groups', (s) => s.connected && s.ipGroups === 1 && s.tclasses === 1);

      // 1. 6,000 flows of 1 MB over ~4 s; the core is killed (SIGKILL) once some have been committed.
      const gen = flowgen(tc.nfPort, 6000, 50);
      await tc.until('a first committed batch', (s) => s.itemsAcked > 0);
      core.proc.child.kill('SIGKILL');
      await core.proc.exited;
      await tc.until('the link to notice', (s) => !s.connected);
      await tc.until('batches kept on disk while the core is down', (s) => s.spooled > 0, 10_000);
      await core.start();
      assert.equal(await gen.exited, 0, gen.output());
      await tc.until('all 6,000 flows read', (s) => s.records === 6000);
      tc.proc.child.kill('SIGHUP'); // commit what is aggregated now
      await tc.until(
        'everything delivered',
        (s) => s.connected && s.pendingAggregates === 0 && s.unacknowledged === 0 && s.spooled === 0,
      );

      // 2. The core stops; traffic goes on and is buffered; the collector is killed and restarted with the core still
      //    down (it keeps the classes and IP groups from its last run); then the core comes back.
      await core.stop();
      const gen2 = flowgen(tc.nfPort, 3000, 200);
      assert.equal(await gen2.exited, 0, gen2.output());
      await tc.until('3,000 more flows read', (s) => s.records === 9000);
      tc.proc.child.kill('SIGHUP');
      await tc.until('them on disk', (s) => s.pendingAggregates === 0 && s.spooled > 0);
      tc.proc.child.kill('SIGKILL');
      await tc.proc.exited;
      assert.ok(
        readdirSync(tc.spoolDir).some((f) => f.endsWith('.batch')),
        'the disk buffer survived the kill',
      );
      await tc.start();
      const gen3 = flowgen(tc.nfPort, 600, 200);
      assert.equal(await gen3.exited, 0, gen3.output());
      await tc.until(
        '600 flows after the restart, counted with the kept IP groups',
        (s) => s.records === 600 && s.aggregated === 600,
      );
      tc.proc.child.kill('SIGHUP');
      await tc.until('them on disk too', (s) => s.pendingAggregates === 0 && s.spooled >= 2);
      await core.start();
      await tc.until('the backlog delivered', (s) => s.connected && s.unacknowledged === 0 && s.spooled === 0);

      // SIGHUP makes the core charge what is accrued and not yet charged.
      core.proc.child.kill('SIGHUP');
      await core.proc.waitForOutput(/IP traffic charged on \d+ service link/);
      await core.stop();
      const r = await readTraffic(core, accounts);
      assert.equal(r.bytes, 9600 * MB, 'bytes in the statistics');
      assert.deepEqual(r.balances, [-9600], '1 per MB, each MB once');
    } finally {
      await tc.cleanup();
      await core.cleanup();
    }
  },
);

test(
  "raw detail files: written per the core's collector properties, rotated by size, the raw process script run on close, read by utm5_get_nf_direct",
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    const rawDir = join(core.dir, 'raw');
    const marker = join(core.dir, 'closed.txt');
    const script = join(core.dir, 'on-close.sh');
    writeFileSync(script, `#!/bin/sh\necho "$1" >> ${marker}\n`);
    chmodSync(script, 0o755);
    const { accounts } = await setUpTraffic(core, [{ ip: IP, costPerMb: 1 }], undefined, {
      rawPath: rawDir,
      rawScript: script,
      rawMaxSize: 5000,
      rawMaxCount: 0,
      bufferSize: 10,
    });
    await core.start();
    const tc = await createCollector(core);
    try {
      await tc.until('the link and the collector properties', (s) => s.connected && s.ipGroups === 1);
      const gen = flowgen(tc.nfPort, 120, 1000);
      assert.equal(await gen.exited, 0, gen.output());
      await tc.until(
        '120 flows in raw files',
        (s) => s.records === 120 && s.rawRecords === 120 && s.rawFilesClosed >= 2,
      );
      await tc.proc.stop(); // closes the last file
      const files = readdirSync(rawDir).filter((f) => f.endsWith('.utm'));
      assert.ok(files.length >= 3, `rotated by size: ${files.join(' ')}`);
      const closed = readFileSync(marker, 'utf8').trim().split('\n');
      assert.equal(closed.length, files.length, 'the script ran once per closed file');
      const report = startProgram('utm5_get_nf_direct', ['-D', rawDir, '-a', String(accounts[0]), '-C']);
      assert.equal(await report.exited, 0, report.output());
      const rows = report.output().trim().split('\n');
      assert.equal(rows.length, 121, 'a header and one row per flow');
      assert.ok(
        rows.slice(1).every((r) => r.includes(IP) && r.includes(String(MB))),
        rows.slice(0, 3).join('\n'),
      );
      const none = startProgram('utm5_get_nf_direct', ['-D', rawDir, '-a', String(accounts[0]! + 1000), '-C']);
      assert.equal(await none.exited, 0);
      assert.equal(none.output().trim().split('\n').length, 1, 'only the header for another account');
    } finally {
      await tc.cleanup();
      await core.cleanup();
    }
  },
);
