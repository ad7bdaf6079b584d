import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { MIGRATIONS, migrateTo, openDatabase } from '@utm5/db';
import { mariaDbUnavailable, sqliteSettings, startMariaDb } from '@utm5/db/testing';
import { createCore } from './helpers/core-instance';
import { runProgram } from './helpers/process';
import { ROOT } from './helpers/paths';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('utm5_core lifecycle', () => {
  test('writes its pid file, listens on URFA and Stream, and SIGTERM exits 0 removing the pid file', async () => {
    const core = await createCore();
    try {
      assert.equal(readFileSync(core.pidFile, 'utf8').trim(), String(core.proc.pid));
      assert.ok(await portOpen(core.urfaPort), 'URFA port open');
      assert.ok(await portOpen(core.streamPort), 'Stream port open');
      assert.ok(existsSync(join(core.dir, 'utm5.db')), 'SQLite database created');
      assert.equal(statSync(join(core.dir, 'utm5.key')).mode & 0o777, 0o600);
      const t0 = Date.now();
      assert.equal(await core.stop(), 0);
      assert.ok(Date.now() - t0 < 5000, 'stopped within seconds');
      assert.equal(existsSync(core.pidFile), false, 'pid file removed');
      assert.equal(await portOpen(core.urfaPort), false);
    } finally {
      await core.cleanup();
    }
  });

  test('a second instance with the same pid file is refused', async () => {
    const core = await createCore();
    try {
      const second = await runProgram('utm5_core', ['-c', core.configFile]);
      assert.equal(second.code, 1);
      assert.match(
        second.stderr,
        new RegExp(
          `utm5_core is already running with pid ${core.proc.pid} \\(pid file ${core.pidFile.replace(/[.]/g, '\\.')}\\)`,
        ),
      );
      assert.equal(readFileSync(core.pidFile, 'utf8').trim(), String(core.proc.pid), 'the first keeps its pid file');
      assert.ok(await portOpen(core.urfaPort));
    } finally {
      await core.cleanup();
    }
  });

  test('SIGINT also stops cleanly; -p overrides the pid file', async () => {
    const core = await createCore();
    try {
      await core.stop();
      const alt = join(core.dir, 'alt.pid');
      const p = await core.start(['-p', alt]);
      assert.equal(readFileSync(alt, 'utf8').trim(), String(p.pid));
      p.child.kill('SIGINT');
      assert.equal(await p.exited, 0);
      assert.equal(existsSync(alt), false);
    } finally {
      await core.cleanup();
    }
  });

  test('restart keeps data: removed default users stay removed, the key file is reused', async () => {
    const core = await createCore();
    try {
      const key = readFileSync(join(core.dir, 'utm5.key'), 'utf8');
      await core.stop();
      const db = await openDatabase(sqliteSettings(join(core.dir, 'utm5.db')));
      await db.knex('system_users').where({ login: 'dhcp' }).delete();
      await db.knex('system_parameters').where({ name: 'bytes_in_kbyte' }).update({ value: '1000' });
      await db.close();
      await core.start();
      await core.stop();
      const db2 = await openDatabase(sqliteSettings(join(core.dir, 'utm5.db')));
      const logins = (await db2.knex('system_users').select('login').orderBy('id', 'desc')).map(
        (r: { login: string }) => r.login,
      );
      const param = await db2.knex('system_parameters').where({ name: 'bytes_in_kbyte' }).first();
      await db2.close();
      assert.deepEqual(logins, ['init', 'web', 'radius', 'rfw', 'collector']);
      assert.equal(param.value, '1000');
      assert.equal(readFileSync(join(core.dir, 'utm5.key'), 'utf8'), key);
    } finally {
      await core.cleanup();
    }
  });

  test('an old schema is migrated by verify_database at start, and refused when it is disabled', async () => {
    const core = await createCore();
    try {
      await core.stop();
      const file = join(core.dir, 'old.db');
      const db = await openDatabase(sqliteSettings(file));
      await migrateTo(db, MIGRATIONS.slice(0, 1));
      await db.close();
      const cfg = readFileSync(core.configFile, 'utf8').replace(/^database=.*$/m, `database=${file}`);
      writeFileSync(core.configFile, `${cfg}verify_database=disable\n`);
      const r = await runProgram('utm5_core', ['-c', core.configFile]);
      assert.equal(r.code, 1);
      // Derived from the list, so a new migration does not need this line changed.
      const missing = MIGRATIONS.slice(1).map((m) => m.name);
      assert.ok(
        r.stderr.includes(
          `lacks ${missing.length} schema step(s) (${missing.join(', ')}) and verify_database is disabled: set verify_database=enable`,
        ),
        r.stderr,
      );
      writeFileSync(core.configFile, `${cfg}verify_database=enable\n`);
      await core.start();
      assert.match(readFileSync(join(core.dir, 'debug.log'), 'utf8'), /schema step 006-tariffication applied/);
      await core.stop();
      const db2 = await openDatabase(sqliteSettings(file));
      assert.ok(await db2.knex.schema.hasTable('user_log'));
      await db2.close();
    } finally {
      await core.cleanup();
    }
  });

  test('SIGHUP reopens log files', async () => {
    const c2 = await createCore();
    try {
      const debug = join(c2.dir, 'debug.log');
      renameSync(debug, `${debug}.moved`);
      c2.proc.child.kill('SIGHUP');
      await waitFor(
        () => existsSync(debug) && /SIGHUP: log files reopened/.test(readFileSync(debug, 'utf8')),
        5000,
        'reopened log',
      );
      assert.ok(await portOpen(c2.urfaPort), 'still serving after SIGHUP');
    } finally {
      await c2.cleanup();
    }
  });
});

describe('utm5_core configuration errors', () => {
  test('a bad value stops the start with file, line, parameter and what is allowed (exit 2)', async () => {
    const core = await createCore();
    try {
      await core.stop();
      appendFileSync(core.configFile, 'urfa_bind_port=70000\ncore_host = 1.2.3.4\n');
      const lines = readFileSync(core.configFile, 'utf8').split('\n');
      const r = await runProgram('utm5_core', ['-c', core.configFile]);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        new RegExp(
          `utm5_core: ${core.configFile}:${lines.indexOf('urfa_bind_port=70000') + 1}: ` +
            "bad value '70000' for urfa_bind_port: out of range, expected integer from 1 to 65534",
        ),
      );
      assert.match(r.stderr, /warning: .*unknown parameter 'core_host ' ignored/);
      assert.equal(existsSync(core.pidFile), false, 'nothing was started');
    } finally {
      await core.cleanup();
    }
  });

  test('-v prints the version and every parameter with secrets masked', async () => {
    const core = await createCore({ config: { database_password: 'TopS3cret' } });
    try {
      const r = await runProgram('utm5_core', ['-v', '-c', core.configFile]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^utm5_core 0\.1\.0 \(UTM5-TS\)$/m);
      assert.match(r.stdout, /^database_password=\*{8} \(/m);
      assert.match(r.stdout, /^dbcount=6 \(default\)$/m);
      assert.ok(!r.stdout.includes('TopS3cret'));
      assert.ok(!readFileSync(join(core.dir, 'debug.log'), 'utf8').includes('TopS3cret'), 'password not in the log');
    } finally {
      await core.cleanup();
    }
  });

  test('a missing config file is one clear line, exit 2', async () => {
    const r = await runProgram('utm5_core', ['-c', '/nonexistent/utm5.cfg']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'utm5_core: /nonexistent/utm5.cfg: cannot read configuration file: no such file (give another with -c)\n',
    );
  });

  test('a port already taken is reported with the parameters to change (exit 1)', async () => {
    const core = await createCore();
    try {
      const other = join(core.dir, 'other.cfg');
      writeFileSync(
        other,
        readFileSync(core.configFile, 'utf8')
          .replace(/^core_pid_file=.*$/m, `core_pid_file=${join(core.dir, 'other.pid')}`)
          .replace(/^database=.*$/m, `database=${join(core.dir, 'other.db')}`),
      );
      const r = await runProgram('utm5_core', ['-c', other]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `URFA cannot listen on 127\\.0\\.0\\.1:${core.urfaPort}: the address is in use .*check urfa_bind_host/urfa_bind_port`,
        ),
      );
      assert.equal(existsSync(join(core.dir, 'other.pid')), false, 'pid file released after a failed start');
    } finally {
      await core.cleanup();
    }
  });
});

describe(
  'utm5_core on MariaDB',
  { skip: process.env['UTM5_SKIP_MARIADB'] ? 'UTM5_SKIP_MARIADB is set' : (mariaDbUnavailable() ?? false) },
  () => {
    test('creates the MySQL database when missing, starts, restarts and stops', async () => {
      const server = await startMariaDb();
      try {
        const core = await createCore({ db: server.settings('utm5_created_by_core') });
        try {
          assert.match(
            core.proc.output() + readFileSync(join(core.dir, 'debug.log'), 'utf8'),
            /database mysql utm5_created_by_core@.* ready/,
          );
          assert.equal(await core.stop(), 0);
          await core.start();
          assert.equal(await core.stop(), 0);
          const db = await openDatabase(server.settings('utm5_created_by_core'));
          const n = await db.knex('system_users').count({ n: '*' });
          await db.close();
          assert.equal(Number(n[0]!['n']), 6);
        } finally {
          await core.cleanup();
        }
      } finally {
        await server.stop();
      }
    });
  },
);

test('npm start runs the core on 127.0.0.1:11758/12758 with SQLite under ./var; SIGINT stops it with exit 0', async () => {
  if ((await portOpen(11758)) || (await portOpen(12758))) {
    test.skip?.('ports 11758/12758 are taken on this machine');
    return;
  }
  const cwd = mkdtempSync(join(tmpdir(), 'utm5-start-'));
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
    env: { ...process.env, UTM5_START_CWD: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  try {
    const t0 = Date.now();
    await waitFor(async () => (await portOpen(11758)) && (await portOpen(12758)), 20_000, 'npm start ports');
    assert.ok(Date.now() - t0 < 20_000);
    assert.ok(existsSync(join(cwd, 'var', 'utm5.db')), 'var/utm5.db');
    const v = await runProgram('utm5_urfaclient', ['-a', 'core_version'], { cwd: ROOT });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /<string name="core_version" value="UTM5-TS 0\.1\.0"\/>/);
    child.kill('SIGINT');
    assert.equal(await exited, 0, out);
    assert.equal(await portOpen(11758), false);
    assert.equal(existsSync(join(cwd, 'var', 'utm5_core.pid')), false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  }
});
