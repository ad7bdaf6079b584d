import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_BYTES, parseTrafficLine } from './traffic-line';

test("a line of the manual's format becomes an entry; the IP goes as a signed 32-bit value", () => {
  assert.deepEqual(parseTrafficLine('user1 1048576 2 10.0.0.1'), {
    kind: 'entry',
    entry: { login: 'user1', bytes: 1048576, tclass: 2, ipid: 0x0a000001 },
  });
  assert.deepEqual(parseTrafficLine('u\t5\t1\t192.168.1.1\r'), {
    kind: 'entry',
    entry: { login: 'u', bytes: 5, tclass: 1, ipid: 0xc0a80101 | 0 },
  });
  assert.deepEqual(
    parseTrafficLine(`u ${MAX_BYTES} 1 x`),
    { kind: 'entry', entry: { login: 'u', bytes: MAX_BYTES, tclass: 1, ipid: 0 } },
    'any IP text is allowed',
  );
});

test('empty lines are skipped; bad lines say what is wrong', () => {
  assert.deepEqual(parseTrafficLine('   '), { kind: 'blank' });
  const reason = (s: string) => {
    const r = parseTrafficLine(s);
    return r.kind === 'bad' ? r.reason : r.kind;
  };
  assert.match(reason('user1 100 1'), /^3 field\(s\), expected LOGIN BYTES TCLASS IP/);
  assert.match(reason('user1 1.5 1 10.0.0.1'), /^BYTES '1.5' must be a whole number/);
  assert.match(reason(`user1 ${MAX_BYTES + 1} 1 10.0.0.1`), /2 GB/);
  assert.match(reason('user1 -1 1 10.0.0.1'), /^BYTES '-1'/);
  assert.match(reason('user1 10 one 10.0.0.1'), /^TCLASS 'one'/);
});
