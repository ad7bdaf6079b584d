import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desEncryptBlock, expandDesKey } from './des';
import { md4 } from './md4';

test('MD4: the RFC 1320 A.5 test suite', () => {
  const suite: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  for (const [input, digest] of suite) assert.equal(md4(Buffer.from(input, 'ascii')).toString('hex'), digest, input);
});

test('DES: the FIPS 46 worked example and the all-zero key', () => {
  const enc = (k: string, p: string): string =>
    desEncryptBlock(Buffer.from(k, 'hex'), Buffer.from(p, 'hex')).toString('hex');
  assert.equal(enc('133457799bbcdff1', '0123456789abcdef'), '85e813540f0ab405');
  // Parity bits do not matter: 0x01 per byte is the zero key with odd parity.
  assert.equal(enc('0101010101010101', '0000000000000000'), enc('0000000000000000', '0000000000000000'));
  assert.equal(enc('0000000000000000', '0000000000000000'), '8ca64de9c1b123a7');
  assert.throws(() => desEncryptBlock(Buffer.alloc(7), Buffer.alloc(8)), RangeError);
});

test('DES key expansion spreads 56 bits over 8 bytes, parity bit clear', () => {
  assert.equal(expandDesKey(Buffer.from('ffffffffffffff', 'hex')).toString('hex'), 'fefefefefefefefe');
  assert.equal(expandDesKey(Buffer.from('80000000000001', 'hex')).toString('hex'), '8000000000000002');
});
