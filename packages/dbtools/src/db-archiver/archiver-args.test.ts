import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiverUsageError, parseArchiverArgs, type ArchiverArgs } from './archiver-args';

const parse = (...argv: string[]) => parseArchiverArgs('db_archiver', argv) as ArchiverArgs;

test('combined short options as the manual writes them (-uef, -ag)', () => {
  const a = parse('-uefi', '-c', '/etc/utm5/utm5.cfg');
  assert.equal(a.update && a.updateMarked && a.updateFormats && a.updateIndexes, true);
  assert.equal(a.updateArchives, false);
  assert.equal(a.config, '/etc/utm5/utm5.cfg');
  const b = parse('-alq', '-x', 'arch', '-y', 'pw');
  assert.deepEqual([b.archive, b.lockCore, b.quiet, b.login, b.password], [true, true, true, 'arch', 'pw']);
  assert.equal(parse('-t').config, '/netup/utm5/utm5.cfg');
});

test('--password-file replaces -y, without its trailing newline', () => {
  const f = join(mkdtempSync(join(tmpdir(), 'arch-')), 'pw');
  writeFileSync(f, 's3cret\n');
  assert.equal(parse('-al', '--password-file', f).password, 's3cret');
});

test('combinations the manual rules out are one-line usage errors', () => {
  for (const [argv, re] of [
    [['-u'], /-u needs/],
    [['-g'], /only with -u/],
    [['-tl'], /use it with -a/],
    [['-n'], /nothing to do/],
    [['-a', '--lock-timeout', '5'], /10\.\.86400/],
  ] as const) {
    assert.throws(
      () => parseArchiverArgs('db_archiver', [...argv]),
      (e: unknown) => e instanceof ArchiverUsageError && re.test(e.message),
    );
  }
});
