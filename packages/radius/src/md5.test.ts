import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { hmacMd5, md5, md5Of } from './md5';

test('HMAC-MD5: RFC 2202 test cases 1, 2 and 6 (a key longer than the block), and agreement with node:crypto', () => {
  const hex = (b: Buffer): string => b.toString('hex');
  assert.equal(hex(hmacMd5(Buffer.alloc(16, 0x0b), [Buffer.from('Hi There')])), '9294727a3638bb1c13f48ef8158bfc9d');
  assert.equal(
    hex(hmacMd5(Buffer.from('Jefe'), [Buffer.from('what do ya '), Buffer.from('want for nothing?')])),
    '750c783e6ab0b503eaa86e310a5db738',
  );
  assert.equal(
    hex(hmacMd5(Buffer.alloc(80, 0xaa), [Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First')])),
    '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
  );
  // Larger than the scratch buffer, and back to small: the reuse leaves nothing behind.
  for (const size of [0, 1, 9000, 20]) {
    const data = Buffer.alloc(size, size & 0xff);
    assert.deepEqual(hmacMd5(Buffer.from('k'), [data]), createHmac('md5', 'k').update(data).digest(), `size ${size}`);
  }
  assert.equal(hex(md5(Buffer.from('abc'))), '900150983cd24fb0d6963f7d28e17f72');
  assert.deepEqual(md5Of(Buffer.from('a'), Buffer.from('bc')), md5(Buffer.from('abc')));
});
