import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from '@utm5/common/testing';
import { splitCommandWords as w, type RfwCommandWire } from '@utm5/protocol';
import { fakeRfwCore } from '@utm5/rfw/testing';
import { createNetnsLab, netnsUnavailable } from './helpers/netns';
import { ROOT } from './helpers/paths';
import { startProgram } from './helpers/process';

// utm5_rfw inside a router namespace with the nftables and tc samples, driven by hand-made commands from a stand-in
// core: the harness of the end-to-end tests, and proof that the samples' commands do what they say on a real kernel.
const why = netnsUnavailable();

let seq = 0;
const cmd = (key: string, argv: string[]): RfwCommandWire => ({
  seq: ++seq,
  key,
  argv,
  ruleId: 5000,
  event: 'internet_on',
  at: 0,
});

test(
  'utm5_rfw in a router namespace: the nftables sample allows and blocks a customer, the tc sample shapes it',
  { skip: why },
  async () => {
    const lab = await createNetnsLab();
    const t = tempDir('utm5-rfw-netns-');
    const core = await fakeRfwCore(() => ({ queued: 0 }), lab.hostIp);
    let rfw;
    try {
      const cfg = join(t.dir, 'rfw5.cfg');
      const setup = join(ROOT, 'config', 'rfw', 'nftables-setup.nft');
      writeFileSync(
        cfg,
        [
          'rfw_name=router-1',
          `core_host=${lab.hostIp}`,
          `core_port=${core.port}`,
          'rfw_login=rfw',
          'rfw_password=secret-pw',
          `firewall_flush_cmd=${join(ROOT, 'config', 'rfw', 'flush.sh')} ${setup} ${lab.routerCustomerDev}`,
          `rfw_state_file=${join(t.dir, 'state.json')}`,
          `pid_file=${join(t.dir, 'rfw.pid')}`,
          'log_level=3',
          'retry_backoff_ms=10',
          'command_retries=1',
        ].join('\n'),
      );
      rfw = startProgram('utm5_rfw', ['-c', cfg], { wrap: lab.wrap(lab.router) });
      await waitFor(() => core.live().length === 1, 20_000, 'utm5_rfw to log in from the router namespace');
      // The flush loaded the base set: nobody is allowed yet.
      await waitFor(
        () => lab.exec(lab.router, ['nft', 'list', 'table', 'inet', 'utm5']).includes('set allowed'),
        10_000,
        'the base set',
      );
      assert.equal(await lab.reachable(), false, 'blocked before Internet on');

      const nft = '/usr/sbin/nft';
      const on = await core.exec([
        cmd(lab.customerIp, [nft, 'add', 'element', 'inet', 'utm5', 'allowed', '{', lab.customerIp, '}']),
      ]);
      assert.deepEqual(
        on.results.map((r) => r.status),
        ['ok'],
      );
      assert.equal(await lab.reachable(), true, 'reachable once the address is in the set');

      const off = await core.exec([
        cmd(lab.customerIp, [nft, 'delete', 'element', 'inet', 'utm5', 'allowed', '{', lab.customerIp, '}']),
      ]);
      assert.deepEqual(
        off.results.map((r) => r.status),
        ['ok'],
      );
      assert.equal(await lab.reachable(), false, 'blocked again');

      // A command nft refuses is retried, then reported failed with nft's stderr.
      const bad = await core.exec([
        cmd(lab.customerIp, [nft, 'delete', 'element', 'inet', 'utm5', 'allowed', '{', lab.customerIp, '}']),
      ]);
      assert.equal(bad.results[0]!.status, 'failed');
      assert.equal(bad.results[0]!.attempts, 2);
      assert.match(bad.results[0]!.stderr, /Error/);

      // tc: the sample's class and filter for service link 12 at 2048 Kbit/s, then an edit to 512, then delete.
      const tc = '/usr/sbin/tc';
      const dev = lab.routerCustomerDev;
      const shape = (kbit: number) => [
        cmd(lab.customerIp, w(`${tc} class replace dev ${dev} parent 1: classid 1:12 htb rate ${kbit}kbit`)),
        cmd(
          lab.customerIp,
          w(
            `${tc} filter replace dev ${dev} parent 1: protocol ip prio 10 handle 800::12 u32 match ip dst ${lab.customerIp}/32 flowid 1:12`,
          ),
        ),
      ];
      const set = await core.exec(shape(2048));
      assert.deepEqual(
        set.results.map((r) => r.status),
        ['ok', 'ok'],
        JSON.stringify(set.results),
      );
      assert.match(lab.exec(lab.router, ['tc', 'class', 'show', 'dev', dev]), /class htb 1:12 root .*rate 2048Kbit/);
      assert.match(
        lab.exec(lab.router, ['tc', 'filter', 'show', 'dev', dev]),
        /800::12 .*flowid 1:12[\s\S]*match 0ac90102\/ffffffff at 16/,
      );
      await core.exec(shape(512));
      assert.match(lab.exec(lab.router, ['tc', 'class', 'show', 'dev', dev]), /class htb 1:12 root .*rate 512Kbit/);
      const del = await core.exec([
        cmd(lab.customerIp, w(`${tc} filter del dev ${dev} parent 1: protocol ip prio 10 handle 800::12 u32`)),
        cmd(lab.customerIp, w(`${tc} class del dev ${dev} classid 1:12`)),
      ]);
      assert.deepEqual(
        del.results.map((r) => r.status),
        ['ok', 'ok'],
        JSON.stringify(del.results),
      );
      assert.doesNotMatch(lab.exec(lab.router, ['tc', 'class', 'show', 'dev', dev]), /1:12/);

      assert.equal(await rfw.stop(), 0);
    } finally {
      await rfw?.stop();
      await core.close();
      await lab.cleanup();
      t.cleanup();
    }
  },
);
