import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, SecretKeyError } from './secret-box';

test('key file is created 0600 on first use and reused after', () => {
  const dir = mkdtempSync(join(tmpdir(), 'key-'));
  const path = join(dir, 'utm5.key');
  const a = SecretBox.fromKeyFile(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const sealed = a.seal('init');
  assert.ok(!sealed.includes('init'));
  assert.notEqual(a.seal('init'), sealed); // random IV
  const b = SecretBox.fromKeyFile(path);
  assert.equal(b.open(sealed), 'init');
});

test('a different key or a damaged value is refused with a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'key-'));
  const sealed = SecretBox.fromKeyFile(join(dir, 'a.key')).seal('pw');
  const other = SecretBox.fromKeyFile(join(dir, 'b.key'));
  assert.throws(
    () => other.open(sealed),
    (e: unknown) => e instanceof SecretKeyError && e.code === 'UTM_SECRET_DECRYPT',
  );
  assert.throws(() => other.open('plain'), /not in the v1 sealed format/);
  writeFileSync(join(dir, 'bad.key'), 'short\n');
  assert.throws(() => SecretBox.fromKeyFile(join(dir, 'bad.key')), /is not 64 hex digits/);
});
