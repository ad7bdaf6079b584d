import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@utm5/common/testing';
import { RfwStateError } from './errors';
import { RfwState } from './state-file';

test('the watermark moves over a batch only when every earlier command of it has run', () => {
  const t = tempDir('utm5-rfw-');
  try {
    const path = join(t.dir, 's.json');
    const s = new RfwState(path, 'rfw1');
    s.load();
    const batch = [3, 7, 12];
    s.record(7, batch);
    assert.deepEqual([s.has(3), s.has(7), s.has(12), s.lastSeq], [false, true, false, 0]);
    const reread = new RfwState(path, 'rfw1');
    reread.load();
    assert.deepEqual([reread.has(3), reread.has(7)], [false, true], 'a crash here runs 3 again, never 7');
    reread.record(3, batch);
    assert.equal(reread.lastSeq, 7);
    reread.record(12, batch);
    assert.equal(reread.lastSeq, 12);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { rfw_name: 'rfw1', done: 12, above: [] });
  } finally {
    t.cleanup();
  }
});

test("another RFW's state file or a damaged one is refused with what to do", () => {
  const t = tempDir('utm5-rfw-');
  try {
    const path = join(t.dir, 's.json');
    const s = new RfwState(path, 'rfw1');
    s.record(1, [1]);
    assert.throws(
      () => new RfwState(path, 'rfw2').load(),
      (e: unknown) => {
        assert.ok(e instanceof RfwStateError);
        assert.equal(e.code, 'UTM_RFW_STATE');
        assert.match(e.message, /belongs to rfw_name 'rfw1', not 'rfw2'/);
        return true;
      },
    );
    writeFileSync(path, '{not json');
    assert.throws(() => new RfwState(path, 'rfw1').load(), /damaged/);
  } finally {
    t.cleanup();
  }
});
