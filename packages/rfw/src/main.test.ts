import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@utm5/common/testing';
import { parseRfwArgs } from './command-line';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'utm5_rfw');

function rfw(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('-s takes flags joined by : or ,; -f and -o mean -s enable with a warning; the rest goes to the shared parser', () => {
  assert.deepEqual(parseRfwArgs(['node', 'x', '-c', 'a.cfg', '-s', 'enable:blocks', '-s', 'users,enable']), {
    rest: ['node', 'x', '-c', 'a.cfg'],
    syncFlags: ['enable', 'blocks', 'users'],
    warnings: [],
  });
  const f = parseRfwArgs(['node', 'x', '-f', '-v']);
  assert.deepEqual([f.rest, f.syncFlags], [['node', 'x', '-v'], ['enable']]);
  assert.match(f.warnings[0]!, /-f is deprecated: use -s enable/);
  assert.deepEqual(parseRfwArgs(['node', 'x', '-sshaping']).syncFlags, ['shaping']);
  assert.equal(parseRfwArgs(['node', 'x']).syncFlags, undefined);
});

test('utm5_rfw: an unknown sync flag or a config mistake exits 2 with a one-line reason', () => {
  const t = tempDir('utm5-rfw-');
  try {
    const bad = rfw(['-s', 'enable:bogus']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.match(bad.stderr, /^utm5_rfw: unknown sync flag 'bogus'/);

    const base = ['rfw_name=r1', 'core_host=127.0.0.1', 'core_port=1', 'rfw_login=rfw', 'rfw_password=x'];
    const cfg = (name: string, lines: string[]) => {
      const p = join(t.dir, name);
      writeFileSync(p, `${lines.join('\n')}\n`);
      return p;
    };
    const pid = join(t.dir, 'rfw.pid');
    const cisco = rfw(['-c', cfg('cisco.cfg', [...base, 'firewall_type=cisco', `pid_file=${pid}`])]);
    assert.equal(cisco.code, 2);
    assert.match(cisco.stderr, /firewall_type=cisco needs cisco_ip/);
    assert.equal(existsSync(pid), false, 'the pid file is released');

    const flags = rfw(['-c', cfg('flags.cfg', [...base, 'sync_flags=enable:nope'])]);
    assert.equal(flags.code, 2);
    assert.match(flags.stderr, /sync_flags.*unknown flag 'nope'/);

    const flush = rfw(['-c', cfg('flush.cfg', [...base, `pid_file=${pid}`, "firewall_flush_cmd=/usr/sbin/nft -f 'x"])]);
    assert.equal(flush.code, 2);
    assert.match(flush.stderr, /firewall_flush_cmd: .*quote is not closed/);

    const missing = rfw(['-c', cfg('missing.cfg', base.slice(1))]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /rfw_name/);

    const v = rfw(['-c', cfg('ok.cfg', base), '-o', '-v']);
    assert.equal(v.code, 0);
    assert.match(v.stderr, /warning: -o is deprecated: use -s enable/);
    assert.match(v.stdout, /rfw_name/);
  } finally {
    t.cleanup();
  }
});
