import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYSTEM_USERS } from '@utm5/core';
import { openDatabase } from '@utm5/db';
import { mariaDbUnavailable, startMariaDb, type MariaDbServer } from '@utm5/db/testing';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';
import { urfaclient } from './helpers/urfa';

/** The shipped configs of the daemons and tools, as a fresh `npm start` installation has them beside utm5.cfg. */
const SHIPPED = ['radius5.cfg', 'rfw5.cfg', 'utm5_traffic_collector.cfg', 'utm5_urfaclient.cfg', 'utm5_send_cdr.cfg'];

function check(core: CoreInstance, extra: string[] = []) {
  // time-sync depends on the machine, not on the installation under test.
  return runProgram('utm5_security_check', ['-c', core.configFile, '--skip', 'time-sync', ...extra], { cwd: core.dir });
}

function defaultPasswordLogins(stdout: string): string[] {
  return [...stdout.matchAll(/^default-password: system user '([^']+)'/gm)].map((m) => m[1]!);
}

describe('utm5_security_check on a fresh installation', () => {
  let core: CoreInstance;
  before(async () => {
    core = await createCore();
    for (const f of SHIPPED) copyFileSync(join(ROOT, 'config', f), join(core.dir, f));
  });
  after(async () => {
    await core?.cleanup();
  });

  test('lists every default password and the loose files, with their fixes, and exits 1', async () => {
    chmodSync(core.configFile, 0o644);
    chmodSync(join(core.dir, 'utm5.db'), 0o644);
    const r = await check(core);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      defaultPasswordLogins(r.stdout),
      DEFAULT_SYSTEM_USERS.map((u) => u.login),
    );
    assert.match(
      r.stdout,
      /^default-password: system user 'radius' .*fix: utm5_urfaclient -l radius -P radius -a change_own_password .*radius_password of radius5\.cfg$/m,
    );
    assert.match(
      r.stdout,
      new RegExp(`^file-permissions: ${core.configFile}: configuration file mode 0644 .*fix: chmod 640`, 'm'),
    );
    assert.match(r.stdout, /^file-permissions: .*utm5\.db \(database in .*mode 0644/m);
    const json = await check(core, ['--json']);
    const parsed = JSON.parse(json.stdout) as { findings: { check: string; where: string; fix: string }[] };
    assert.equal(parsed.findings.filter((f) => f.check === 'default-password').length, DEFAULT_SYSTEM_USERS.length);
    assert.equal(json.code, 1);
  });

  test('after every password is changed over URFA and the files tightened, it finds nothing and exits 0', async () => {
    for (const u of DEFAULT_SYSTEM_USERS) {
      const changed = await urfaclient(
        core,
        ['-a', 'change_own_password', '-old_pass', u.login, '-new_pass', `${u.login}-N3w-pass`],
        { login: u.login, password: u.login },
      );
      assert.equal(changed.code, 0, `${u.login}: ${changed.stderr}`);
    }
    // The default one again is refused, with the reason on stderr and a non-zero exit.
    const back = await urfaclient(
      core,
      ['-a', 'change_own_password', '-old_pass', 'web-N3w-pass', '-new_pass', 'web'],
      {
        login: 'web',
        password: 'web-N3w-pass',
      },
    );
    assert.notEqual(back.code, 0);
    assert.match(back.stderr, /password not changed/);
    for (const f of readdirSync(core.dir)) {
      if (f.endsWith('.cfg') || /^utm5\.db/.test(f) || f.endsWith('.key') || f.endsWith('.pem'))
        chmodSync(join(core.dir, f), 0o600);
    }
    assert.ok(existsSync(join(core.dir, 'utm5.key')));
    const r = await check(core);
    assert.deepEqual(defaultPasswordLogins(r.stdout), []);
    assert.equal(r.stdout, '', 'no finding at all once the passwords and modes are fixed');
    assert.equal(r.code, 0, r.stderr);
  });

  test('an exposed configuration is reported: plain URFA beyond loopback, Stream on every address, the test clock', async () => {
    const exposed = await createCore({
      config: {
        urfa_bind_host: '0.0.0.0',
        urfa_plain_allowed: ['127.0.0.0/8', '10.0.0.0/8'],
        stream_bind_host: '0.0.0.0',
        test_clock: 'enable',
      },
    });
    try {
      const r = await check(exposed, ['-q']);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^plain-urfa: .*10\.0\.0\.0\/8 on 0\.0\.0\.0 port \d+/m);
      assert.match(r.stdout, /^plain-stream: stream_bind_host in .*fix: set stream_tls=enable/m);
      assert.match(r.stdout, /^wildcard-listener: urfa_bind_host in /m);
      assert.match(r.stdout, /^wildcard-listener: stream_bind_host in /m);
      assert.match(r.stdout, /^test-clock: /m);
      assert.equal(r.stderr, '', '-q prints the findings only');
    } finally {
      await exposed.cleanup();
    }
  });

  test('usage errors exit 2 naming what is wrong', async () => {
    const r = await runProgram('utm5_security_check', ['-c', core.configFile, '--skip', 'default-passwords']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^utm5_security_check: --skip default-passwords: no such check/);
    const missing = await runProgram('utm5_security_check', ['-c', join(core.dir, 'nope.cfg')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.cfg.*no such file/);
  });
});

const noMaria = process.env['UTM5_SKIP_MARIADB'] ? 'UTM5_SKIP_MARIADB is set' : mariaDbUnavailable();
describe('utm5_security_check against MariaDB', { skip: noMaria ? `MariaDB skipped: ${noMaria}` : false }, () => {
  let server: MariaDbServer;
  let core: CoreInstance;
  let dir: string;
  before(async () => {
    server = await startMariaDb();
    dir = mkdtempSync(join(tmpdir(), 'utm5-seccheck-'));
    // The harness's root has no password: exactly the server the check must catch. The core itself logs in as a
    // login with a password of its own.
    const root = await openDatabase(server.settings('utm5_seccheck'));
    try {
      await root.knex.raw("CREATE USER 'billing'@'localhost' IDENTIFIED BY 'Pw-billing-1'");
      await root.knex.raw("GRANT ALL ON utm5_seccheck.* TO 'billing'@'localhost'");
    } finally {
      await root.close();
    }
    core = await createCore({
      db: server.settings('utm5_seccheck', { database_login: 'billing', database_password: 'Pw-billing-1' }),
    });
  });
  after(async () => {
    await core?.cleanup();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function mysqlConfig(name: string, login: string, password: string): string {
    const file = join(dir, name, 'utm5.cfg');
    mkdirSync(join(dir, name));
    const lines = [
      'database_type=mysql',
      'database=utm5_seccheck',
      `database_login=${login}`,
      `database_sock_path=${server.socket}`,
      ...(password ? [`database_password=${password}`] : []),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    return file;
  }
  const SKIP = ['--skip', 'default-password,file-permissions,time-sync'];

  test('a login with its own password is not reported; the default passwords are read from MariaDB', async () => {
    const r = await check(core);
    assert.doesNotMatch(r.stdout, /^database-password/m);
    assert.equal(defaultPasswordLogins(r.stdout).length, DEFAULT_SYSTEM_USERS.length, r.stderr);
  });

  test('a server that lets the login in without a password is found, whatever database_password says', async () => {
    const r = await runProgram('utm5_security_check', [
      '-c',
      mysqlConfig('probe', 'root', 'set-but-unneeded'),
      ...SKIP,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^database-password: database_login in .*lets 'root' in without a password/m);
    const none = await runProgram('utm5_security_check', ['-c', mysqlConfig('unset', 'billing', ''), ...SKIP]);
    assert.equal(none.code, 1, none.stderr);
    assert.match(none.stdout, /^database-password: database_password in .*'billing' without a password/m);
  });
});
