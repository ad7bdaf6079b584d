import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { urfaclient } from './helpers/urfa';
import { runProgram } from './helpers/process';
import { freePort } from '@utm5/common/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { UrfaApi } from '@utm5/urfaclient';

const FIX = 'tests/fixtures/urfa';

describe('utm5_urfaclient against utm5_core', () => {
  let core: CoreInstance;
  before(async () => {
    core = await createCore();
  });
  after(() => core.cleanup());

  test('-a core_version prints the version as XML and exits 0 (TLS by default)', async () => {
    const r = await urfaclient(core, ['-a', 'core_version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      '<?xml version="1.0" encoding="UTF-8"?>\n<urfa>\n  <call function="rpcf_core_version">\n' +
        '    <string name="core_version" value="UTM5-TS 0.1.0"/>\n  </call>\n</urfa>\n',
    );
    assert.equal(r.stderr, '');
  });

  test('a wrong password exits 4 with "access rejected", and the core logs why', async () => {
    const r = await urfaclient(core, ['-a', 'core_version'], { password: 'wrong' });
    assert.equal(r.code, 4);
    assert.equal(r.stderr, "utm5_urfaclient: access rejected for 'init'\n");
    assert.match(
      readFileSync(join(core.dir, 'debug.log'), 'utf8'),
      /login refused for 'init' from 127\.0\.0\.1:\d+: wrong password/,
    );
  });

  test('a dealer calling an admin function gets "forbidden" (exit 5), journaled in user_log', async () => {
    const add = await urfaclient(core, [
      '-a',
      'add_sys_user',
      '-login',
      'dealer1',
      '-password',
      'dealer-pw',
      '-group_id',
      '2',
    ]);
    assert.equal(add.code, 0, add.stderr);
    const r = await urfaclient(core, ['-a', 'get_sys_users_list'], { login: 'dealer1', password: 'dealer-pw' });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /function 0x4413 is forbidden for this login/);
    const log = readFileSync(join(core.dir, 'debug.log'), 'utf8');
    assert.match(log, /system 'dealer1'@127\.0\.0\.1:\d+: call of rpcf_get_sys_users_list \(0x4413\) forbidden/);
    const db = await openDatabase(sqliteSettings(join(core.dir, 'utm5.db')));
    const rows = await db.knex('user_log').where({ action: 'urfa_refused' }).select('actor_login', 'details');
    await db.close();
    assert.deepEqual(rows, [{ actor_login: 'dealer1', details: 'forbidden function 0x4413' }]);
  });

  test('every script tag and api.xml tag, with a 2-dimensional data file: golden output, exit code of <error>', async () => {
    const r = await urfaclient(core, [
      '-x',
      FIX,
      '-api',
      'xml/api.xml',
      '-a',
      'tags',
      '-datafile',
      `${FIX}/tags-data.xml`,
    ]);
    assert.equal(r.stdout, readFileSync(join(ROOT, FIX, 'tags.golden.xml'), 'utf8'));
    assert.equal(r.code, 30, 'the <error code="30"> of utm5ts_echo mode 1');
    assert.equal(r.stderr, 'utm5_urfaclient: utm5ts_echo: echo error requested: hello\n');
  });

  test("a command-line value wins over the script's value; a script <error> exits with its code and file:line", async () => {
    const r = await urfaclient(core, [
      '-x',
      FIX,
      '-api',
      'xml/api.xml',
      '-a',
      'tags',
      '-datafile',
      `${FIX}/tags-data.xml`,
      '-base',
      '1',
    ]);
    assert.equal(r.code, 9);
    assert.equal(r.stderr, `utm5_urfaclient: ${FIX}/tags.xml:25: arithmetic is broken, answer is 3\n`);
    assert.match(r.stdout, /<\/urfa>\n$/, 'the XML document is closed even on error');
  });

  test('-help prints the script parameters with their comments; -debug prints calls and variables', async () => {
    const h = await urfaclient(core, ['-x', FIX, '-a', 'tags', '-help']);
    assert.equal(h.code, 0);
    assert.equal(h.stdout, readFileSync(join(ROOT, FIX, 'tags.help.golden'), 'utf8'));
    const d = await urfaclient(core, [
      '-x',
      FIX,
      '-api',
      'xml/api.xml',
      '-a',
      'tags',
      '-datafile',
      `${FIX}/tags-data.xml`,
      '-debug',
    ]);
    assert.match(d.stderr, /^debug: call utm5ts_echo \(0x60000040\)$/m);
    assert.match(d.stderr, /^debug: cell\[1\]\[2\]=z$/m);
    assert.match(d.stderr, /^debug: answer\[0\]=42$/m);
    assert.match(d.stderr, /^debug: width_of\[1\]=3$/m);
  });

  test('a mistyped script parameter is refused before anything is called, naming the closest one', async () => {
    const r = await urfaclient(core, ['-a', 'get_sys_user', '-user_idd', '-1']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '', 'nothing called');
    assert.match(
      r.stderr,
      /^utm5_urfaclient: -user_idd is not a parameter of get_sys_user; did you mean -user_id\? \(-a get_sys_user -help lists them\)$/m,
    );
    const far = await urfaclient(core, ['-a', 'core_version', '-zzz', '1']);
    assert.equal(far.code, 2);
    assert.match(far.stderr, /-zzz is not a parameter of core_version \(-a core_version -help/);
  });

  test('out-of-range access aborts with a clear error naming file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urfa-script-'));
    writeFileSync(
      join(dir, 'oob.xml'),
      '<urfa>\n  <set dst="a" value="1"/>\n  <set dst="b" src="a" src_index="3"/>\n</urfa>\n',
    );
    writeFileSync(
      join(dir, 'badtag.xml'),
      '<urfa>\n  <call function="rpcf_core_version">\n    <add arg1="1" arg2="2" dst="x"/>\n  </call>\n</urfa>\n',
    );
    const r = await urfaclient(core, ['-x', dir, '-api', 'xml/api.xml', '-a', 'oob']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `utm5_urfaclient: ${dir}/oob.xml:3: <set>: a[3] is out of range (size 1)\n`);
    const b = await urfaclient(core, ['-x', dir, '-api', 'xml/api.xml', '-a', 'badtag']);
    assert.equal(b.code, 1);
    assert.equal(b.stderr, `utm5_urfaclient: ${dir}/badtag.xml:3: <add> is not allowed in <call>\n`);
    const m = await urfaclient(core, ['-x', dir, '-a', 'missing']);
    assert.equal(m.code, 1);
    assert.match(m.stderr, /no action script .*missing\.xml: no such file \(check -a and -x\)/);
  });

  test('system users and groups are managed through the action scripts', async () => {
    const add = await urfaclient(core, [
      '-a',
      'add_sys_user',
      '-login',
      'cashier',
      '-password',
      'cash-pw',
      '-group_id',
      '1',
      '-ip4_address',
      '127.0.0.0',
      '-mask4',
      '8',
    ]);
    assert.equal(add.code, 0, add.stderr);
    const id = /name="result" value="(-\d+)"/.exec(add.stdout)![1]!;
    const who = await urfaclient(core, ['-a', 'whoami'], { login: 'cashier', password: 'cash-pw' });
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, /<string name="login" value="cashier"\/>/);
    assert.match(
      who.stdout,
      /<ip_address name="user_ip4" value="127\.0\.0\.0"\/>\n {4}<integer name="user_mask4" value="8"\/>/,
    );
    const grp = await urfaclient(core, [
      '-a',
      'add_sysgroup',
      '-group_id',
      '10',
      '-group_name',
      'Readers',
      '-fid',
      '0x4417',
      '-allowed',
      '1',
    ]);
    assert.equal(grp.code, 0, grp.stderr);
    const g = await urfaclient(core, ['-a', 'get_sysgroup', '-group_id', '10']);
    assert.match(
      g.stdout,
      /<string name="name" index="\d+" value="rpcf_whoami"\/>\n {4}<string name="module" index="\d+" value="core"\/>\n {4}<integer name="fids" index="\d+" value="1"\/>/,
    );
    const edit = await urfaclient(core, [
      '-a',
      'edit_sys_user',
      '-user_id',
      id,
      '-login',
      'cashier',
      '-group_id',
      '10',
      '-ip4_address',
      '127.0.0.0',
      '-mask4',
      '8',
    ]);
    assert.equal(edit.code, 0, edit.stderr);
    const limited = await urfaclient(core, ['-a', 'get_sys_users_list'], { login: 'cashier', password: 'cash-pw' });
    assert.equal(limited.code, 5, 'Readers may only call whoami');
    assert.equal((await urfaclient(core, ['-a', 'whoami'], { login: 'cashier', password: 'cash-pw' })).code, 0);
    const dup = await urfaclient(core, ['-a', 'add_sys_user', '-login', 'cashier', '-password', 'x', '-group_id', '1']);
    assert.equal(dup.code, 12);
    assert.match(dup.stderr, /unable to add the system user/);
    assert.equal((await urfaclient(core, ['-a', 'delete_sys_user', '-user_id', id])).code, 0);
    assert.equal((await urfaclient(core, ['-a', 'whoami'], { login: 'cashier', password: 'cash-pw' })).code, 4);
    assert.equal((await urfaclient(core, ['-a', 'del_sysgroup', '-group_id', '10'])).code, 0);
    const list = await urfaclient(core, ['-a', 'get_sysgroups_list']);
    assert.doesNotMatch(list.stdout, /Readers/);
  });

  test('the test clock functions are refused unless test_clock is enabled', async () => {
    const r = await urfaclient(core, ['-a', 'set_time', '-time', '1049155200']);
    assert.equal(r.code, 20);
    assert.match(r.stderr, /refused: the test clock is not enabled/);
  });

  test('system parameters are listed and changed', async () => {
    const s = await urfaclient(core, ['-a', 'set_system_parameter', '-name', 'journal_keep_days', '-value', '90']);
    assert.equal(s.code, 0, s.stderr);
    const l = await urfaclient(core, ['-a', 'get_system_parameters']);
    assert.match(
      l.stdout,
      /<string name="name" index="(\d+)" value="journal_keep_days"\/>\n {4}<string name="value" index="\1" value="90"\/>/,
    );
    const bad = await urfaclient(core, ['-a', 'set_system_parameter', '-name', 'no_such', '-value', '1']);
    assert.equal(bad.code, 23);
    assert.match(bad.stderr, /cannot set: no system parameter 'no_such'/);
  });

  test('plain URFA works from loopback by default (ssl_mode 0)', async () => {
    const cfg = join(mkdtempSync(join(tmpdir(), 'urfacfg-')), 'utm5_urfaclient.cfg');
    writeFileSync(cfg, 'ssl_mode=0\ncore_password=init\n');
    const r = await urfaclient(core, ['-c', cfg, '-a', 'core_version']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('a core that is not there: exit 3 with "connection refused"', async () => {
    const r = await runProgram('utm5_urfaclient', ['-p', String(await freePort()), '-a', 'core_version'], {
      cwd: ROOT,
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  });
});

describe('URFA plain mode outside urfa_plain_allowed', () => {
  test('loopback plain is refused when urfa_plain_allowed does not cover it; TLS still works', async () => {
    const core = await createCore({ config: { urfa_plain_allowed: '10.0.0.0/8' } });
    try {
      const cfg = join(mkdtempSync(join(tmpdir(), 'urfacfg-')), 'u.cfg');
      writeFileSync(cfg, 'ssl_mode=0\n');
      const r = await urfaclient(core, ['-c', cfg, '-a', 'core_version']);
      assert.equal(r.code, 4);
      assert.match(
        readFileSync(join(core.dir, 'debug.log'), 'utf8'),
        /plain URFA \(SSL mode 0\) is not allowed from 127\.0\.0\.1/,
      );
      assert.equal((await urfaclient(core, ['-a', 'core_version'])).code, 0);
    } finally {
      await core.cleanup();
    }
  });
});

describe('UrfaApi (calls by name through api.xml) and URFA limits', () => {
  test('calls by name return typed outputs; the connection limit refuses the extra connection', async () => {
    const core = await createCore({ config: { urfa_max_connections: '2' } });
    try {
      const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
        host: '127.0.0.1',
        port: core.urfaPort,
        login: 'init',
        password: 'init',
      });
      const v = await api.call('utm5ts_echo', {
        mode: 0,
        text: 'x',
        big: 1,
        amount: 2.5,
        address: '10.0.0.1',
        width: [1],
        cell: [['c']],
      });
      assert.equal(v.get('amount'), '2.5');
      assert.equal(v.get('cell', [0, 0]), 'c');
      const second = connect(core.urfaPort, '127.0.0.1');
      await new Promise((r) => second.once('data', r)); // the session init of an accepted connection
      const third = connect(core.urfaPort, '127.0.0.1');
      const got = await new Promise<string>((r) => {
        third.once('data', () => r('data'));
        third.once('close', () => r('closed'));
      });
      assert.equal(got, 'closed');
      assert.match(
        readFileSync(join(core.dir, 'debug.log'), 'utf8'),
        /URFA: connection from 127\.0\.0\.1:\d+ refused: 2 connections open \(limit 2/,
      );
      second.destroy();
      third.destroy();
      await api.close();
    } finally {
      await core.cleanup();
    }
  });
});
