import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PidFile, PidFileError } from './pid-file';

test('pid file is written, refuses a second live holder, and is removed on release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pid-'));
  const path = join(dir, 'sub', 'core.pid');
  const a = new PidFile(path);
  a.acquire('utm5_core');
  assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
  // Another instance (pretend pid 1, which is always alive) must be refused by our live pid.
  const b = new PidFile(path, 999_999_999);
  assert.throws(
    () => b.acquire('utm5_core'),
    (err: unknown) =>
      err instanceof PidFileError && err.code === 'UTM_PID_BUSY' && err.message.includes(`pid ${process.pid}`),
  );
  a.release();
  assert.equal(existsSync(path), false);
});

test('a stale pid file (dead process) is replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pid-'));
  const path = join(dir, 'core.pid');
  writeFileSync(path, '999999999\n');
  const a = new PidFile(path);
  a.acquire('utm5_core');
  assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
  a.release();
});

test('release leaves a pid file that another process took over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pid-'));
  const path = join(dir, 'core.pid');
  const a = new PidFile(path);
  a.acquire('x');
  writeFileSync(path, '12345\n');
  a.release();
  assert.equal(readFileSync(path, 'utf8'), '12345\n');
});
