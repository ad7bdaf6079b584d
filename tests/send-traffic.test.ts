import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { MB, PLAN, setupIpTraffic, type IpTrafficSetup } from './helpers/ip-traffic';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const API = join(ROOT, 'xml', 'api.xml');

describe('utm5_send_traffic', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  let s: IpTrafficSetup;
  let cfg: string;
  const balance = async () =>
    Number((await api.call('rpcf_get_accountinfo', { account_id: s.account })).get('balance'));
  const sendTraffic = (args: string[], input?: string) =>
    runProgram('utm5_send_traffic', ['-c', cfg, ...args], { cwd: ROOT, ...(input ? { input } : {}) });

  before(async () => {
    core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
    api = await UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
    await api.call('utm5ts_set_time', { time: T0 });
    s = await setupIpTraffic(api, { start: T0, login: 'tlogin', ip: '10.1.0.5', balance: 100 });
    cfg = join(core.dir, 'utm5_send_traffic.cfg');
    // Two lines a call, so the file below takes two calls (two transactions) in the core.
    writeFileSync(
      cfg,
      `core_host=127.0.0.1\ncore_port=${core.urfaPort}\ncore_login=init\ncore_password=init\nbatch_size=2\n`,
    );
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test("a file is charged line by line at the service's prices; a bad line is named with its number, the good ones are sent", async () => {
    assert.equal(await balance(), 100 - PLAN.fee);
    const file = join(core.dir, 'traffic.dat');
    writeFileSync(
      file,
      [
        `tlogin ${2 * MB} ${PLAN.tclass} 10.1.0.5`, // 1 MB prepaid, then 1 MB at 2 per MB: 2
        `tlogin\t${MB}\t${PLAN.tclass}\t10.1.0.5`, // 1 MB at 2: 2
        `tlogin lots ${PLAN.tclass} 10.1.0.5`,
        '',
        `tlogin ${10 * MB} ${PLAN.tclass} any`, // 3..10 MB at 2 and 10..13 MB at 1: 17
        `nobody 100 ${PLAN.tclass} 1.2.3.4`, // sent; the core refuses it (unknown login) and logs it
      ].join('\n') + '\n',
    );
    const r = await sendTraffic(['-s', file]);
    assert.equal(
      r.stderr,
      `utm5_send_traffic: ${file}:3: BYTES 'lots' must be a whole number 0..2147483647 (2 GB); line not sent\n`,
    );
    assert.equal(r.stdout, '4 traffic line(s) sent in 2 call(s); 1 bad line(s) not sent\n');
    assert.equal(r.code, 6, 'non-zero: a line was bad');
    assert.equal(
      await balance(),
      100 - PLAN.fee - 21,
      'charged 21 once the accrued traffic reached min_traffic_charge (5)',
    );
    await core.proc.waitForOutput(
      /put_unif_iptr: 1 of 2 entries not charged: entry 2: login 'nobody' is not an IP group login/,
    );
  });

  test('standard input works; traffic below min_traffic_charge is charged when traffic_aggregation_timeout has passed', async () => {
    const before = await balance();
    const r = await sendTraffic(['-s', '-'], `tlogin ${MB} ${PLAN.tclass} 10.1.0.5\n`); // past 10 MB: 1 per MB
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '1 traffic line(s) sent in 1 call(s)\n', '']);
    assert.equal(await balance(), before, 'accrued 1, below the threshold');
    // traffic_charger sweeps every 15 minutes: past the 900 s timeout, the next sweep charges it.
    await api.call('utm5ts_set_time', { time: T0 + 900 + 15 * 60 });
    assert.equal(await balance(), before - 1, 'the traffic_charger service charged it after the timeout');
  });

  test('usage mistakes exit 2 and an unreachable core 3, with one clear line; -v shows the parameters with the password masked', async () => {
    const missing = await sendTraffic(['-s', join(core.dir, 'none.dat')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^utm5_send_traffic: -s .*none\.dat: cannot read the traffic file: ENOENT/);
    writeFileSync(join(core.dir, 'bad.cfg'), 'core_port=0\n');
    const badCfg = await runProgram('utm5_send_traffic', ['-c', join(core.dir, 'bad.cfg'), '-s', '-'], { cwd: ROOT });
    assert.equal(badCfg.code, 2);
    assert.match(badCfg.stderr, /bad\.cfg:1: .*core_port/);
    writeFileSync(join(core.dir, 'gone.cfg'), `core_port=${await freePort()}\n`);
    const gone = await runProgram('utm5_send_traffic', ['-c', join(core.dir, 'gone.cfg'), '-s', '-'], {
      cwd: ROOT,
      input: 'tlogin 1 10 x\n',
    });
    assert.equal(gone.code, 3);
    assert.match(gone.stderr, /^utm5_send_traffic: .*connection refused.*; nothing sent\n$/);
    const v = await sendTraffic(['-v']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^utm5_send_traffic \S+ \(UTM5-TS\)\n/);
    assert.match(v.stdout, /core_password=\*{8} /);
    assert.match(v.stdout, /batch_size=2 /);
  });
});
