import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigText, type ConfigSchema, type LoadedConfig, type ParamSpec } from '@utm5/common';
import { coreConfig } from '@utm5/core';
import { radiusConfig } from '@utm5/radiusd';
import {
  checkDatabasePasswordSet,
  checkFilePermissions,
  checkPlainStream,
  checkPlainUrfa,
  checkTestClock,
  checkWildcardListeners,
  type ProgramConfig,
} from './config-checks';
import { checkTimeSync, type RunFn } from './time-sync';
import { findingLine } from './finding';

const BASE = 'database_type=sqlite\ndatabase=utm5.db\n';

function program(schema: ConfigSchema, text: string, file = '/etc/utm5/x.cfg'): ProgramConfig {
  return { schema, loaded: loadConfigText(schema, file, text) as LoadedConfig<ParamSpec> };
}
const core = (text: string, file?: string) => program(coreConfig as ConfigSchema, BASE + text, file);

test('plain URFA: a non-loopback listener with a non-loopback plain network is found; loopback-only is not', () => {
  assert.deepEqual(checkPlainUrfa(core('urfa_bind_host=127.0.0.1\nurfa_plain_allowed=10.0.0.0/8\n')), []);
  assert.deepEqual(checkPlainUrfa(core('urfa_bind_host=0.0.0.0\n')), [], 'the default plain list is loopback only');
  const f = checkPlainUrfa(
    core('urfa_bind_host=192.0.2.1\nurfa_plain_allowed=127.0.0.0/8\nurfa_plain_allowed=10.0.0.0/8\n'),
  );
  assert.equal(f.length, 1);
  assert.match(
    findingLine(f[0]!),
    /^plain-urfa: urfa_plain_allowed in .*10\.0\.0\.0\/8 on 192\.0\.2\.1 port 11758.*fix: remove 10\.0\.0\.0\/8/,
  );
});

test('listeners: wildcard addresses, defaults included; switched-off listeners are not counted', () => {
  // stream_bind_host defaults to 0.0.0.0: a config that never names it listens everywhere.
  const f = checkWildcardListeners([core('urfa_bind_host=127.0.0.1\n')]);
  assert.deepEqual(
    f.map((x) => x.where),
    ['stream_bind_host in /etc/utm5/x.cfg'],
  );
  assert.match(f[0]!.problem, /the default/);
  // nfbuffer_host defaults to 0.0.0.0 too, but the receiver is off unless nfbuffer_enable; metrics off at port 0.
  const on = checkWildcardListeners([
    core('stream_bind_host=127.0.0.1\nnfbuffer_enable=yes\nmetrics_bind_host=0.0.0.0\nmetrics_bind_port=9101\n'),
  ]);
  assert.deepEqual(
    on.map((x) => x.where.split(' ')[0]),
    ['nfbuffer_host', 'metrics_bind_host'],
  );
  assert.deepEqual(checkWildcardListeners([core('stream_bind_host=127.0.0.1\nmetrics_bind_host=0.0.0.0\n')]), []);
  const radius = program(
    radiusConfig as ConfigSchema,
    'core_host=127.0.0.1\ncore_port=12758\nradius_auth_host=0.0.0.0\nradius_acct_host=10.1.1.1\n',
  );
  assert.deepEqual(
    checkWildcardListeners([radius]).map((x) => x.where.split(' ')[0]),
    ['radius_auth_host'],
  );
});

test('plain Stream: beyond loopback without stream_tls is found', () => {
  assert.equal(checkPlainStream([core('stream_bind_host=10.0.0.1\n')]).length, 1);
  assert.equal(checkPlainStream([core('stream_bind_host=10.0.0.1\nstream_tls=enable\n')]).length, 0);
  assert.equal(checkPlainStream([core('stream_bind_host=127.0.0.1\n')]).length, 0);
});

test('test clock and MySQL without a password are found', () => {
  assert.equal(checkTestClock(core('test_clock=enable\n')).length, 1);
  assert.equal(checkTestClock(core('')).length, 0);
  const mysql = (extra: string) =>
    program(coreConfig as ConfigSchema, `database_type=mysql\ndatabase=utm5\ndatabase_login=utm5\n${extra}`);
  assert.match(checkDatabasePasswordSet(mysql(''))[0]!.problem, /'utm5' without a password/);
  assert.deepEqual(checkDatabasePasswordSet(mysql('database_password=s3cret\n')), []);
  assert.deepEqual(checkDatabasePasswordSet(core('')), [], 'SQLite has no password');
});

test('file permissions: world-readable configs (naming the secrets they hold), loose keys and state', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-seccheck-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'utm5.key');
  const db = join(dir, 'utm5.db');
  const spool = join(dir, 'spool');
  const cfg = join(dir, 'utm5.cfg');
  writeFileSync(key, 'x');
  writeFileSync(db, 'x');
  writeFileSync(`${db}-wal`, 'x');
  mkdirSync(spool);
  const text = `database_type=sqlite\ndatabase=${db}\nsecret_key_file=${key}\nssl_privkey_passphrase=pp\n`;
  writeFileSync(cfg, text);
  const c = program(coreConfig as ConfigSchema, text, cfg);
  const r = program(
    radiusConfig as ConfigSchema,
    `core_host=127.0.0.1\ncore_port=12758\nradius_spool_dir=${spool}\n`,
    join(dir, 'radius5.cfg'),
  );
  chmodSync(cfg, 0o644);
  chmodSync(key, 0o640);
  chmodSync(db, 0o644);
  chmodSync(`${db}-wal`, 0o600);
  chmodSync(spool, 0o755);
  const f = checkFilePermissions([c, r], []);
  assert.deepEqual(
    f.map((x) => x.where.split(' ')[0]),
    [cfg, db, key, spool],
  );
  assert.match(f[0]!.problem, /holds ssl_privkey_passphrase/);
  assert.match(f[1]!.fix, /chmod 640/);
  assert.match(f[2]!.fix, /chmod 600/);
  assert.match(f[3]!.fix, /chmod 750/);
  chmodSync(cfg, 0o640);
  chmodSync(key, 0o600);
  chmodSync(db, 0o640);
  chmodSync(spool, 0o750);
  assert.deepEqual(checkFilePermissions([c, r], []), []);
  chmodSync(cfg, 0o660);
  assert.match(checkFilePermissions([c], [])[0]!.problem, /lets its group change it/);
});

test('time sync: timedatectl, then chronyc, then the timesyncd flag; nothing answering is a finding', async () => {
  const runner =
    (answers: Record<string, string | undefined>): RunFn =>
    async (cmd) =>
      answers[cmd];
  const none = () => false;
  assert.deepEqual(await checkTimeSync(runner({ timedatectl: 'yes\n' }), none), []);
  assert.match((await checkTimeSync(runner({ timedatectl: 'no\n' }), none))[0]!.problem, /NTPSynchronized=no/);
  assert.deepEqual(await checkTimeSync(runner({ chronyc: 'Ref time : x\nLeap status     : Normal\n' }), none), []);
  assert.match(
    (await checkTimeSync(runner({ chronyc: 'Leap status     : Not synchronised\n' }), none))[0]!.problem,
    /Not synchronised/,
  );
  assert.deepEqual(await checkTimeSync(runner({}), () => true), []);
  assert.match((await checkTimeSync(runner({}), none))[0]!.problem, /no time synchronisation answered/);
});
