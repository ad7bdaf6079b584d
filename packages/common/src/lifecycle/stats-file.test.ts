import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './stats-file';

test("writeFileAtomic replaces the file whole; with mode 0o600 the file holding secrets is its owner's only, even over a stale temporary file", () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  const f = join(dir, 'state.json');
  writeFileSync(`${f}.tmp`, 'left by a crash', { mode: 0o644 });
  writeFileAtomic(f, '{"a":1}', 0o600);
  assert.equal(readFileSync(f, 'utf8'), '{"a":1}');
  assert.equal(statSync(f).mode & 0o777, 0o600);
  writeFileAtomic(f, '{"a":2}', 0o600);
  assert.equal(readFileSync(f, 'utf8'), '{"a":2}');
  assert.equal(statSync(f).mode & 0o777, 0o600);
});
