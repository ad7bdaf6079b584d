import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIp, decodeScalar, encodeScalar } from './values';
import { hex } from '../testing/bytes';

test('scalars encode big-endian as URFA.md says', () => {
  assert.deepEqual(encodeScalar('integer', '-2'), hex('fffffffe'));
  assert.deepEqual(encodeScalar('integer', '4294967295'), hex('ffffffff'), 'unsigned values wrap');
  assert.deepEqual(encodeScalar('integer', '0x4417'), hex('00004417'), 'function ids may be written in hex');
  assert.deepEqual(encodeScalar('integer', '-0x45'), hex('ffffffbb'));
  assert.deepEqual(encodeScalar('long', '2000000000'), hex('00000000 77359400'));
  assert.deepEqual(encodeScalar('long', '-1'), hex('ffffffff ffffffff'));
  assert.deepEqual(encodeScalar('double', '1.5'), hex('3ff8000000000000'));
  assert.deepEqual(encodeScalar('string', 'Привет'), Buffer.from('Привет', 'utf8'));
  assert.deepEqual(encodeScalar('ip_address', '192.168.0.1'), hex('04 c0a80001'));
  assert.deepEqual(encodeScalar('ip_address', '2001:db8::1'), hex('06 20010db8000000000000000000000001'));
  assert.throws(() => encodeScalar('integer', '1.5'), /not an integer/);
  assert.throws(() => encodeScalar('integer', '5000000000'), /outside the 32-bit/);
  assert.throws(() => encodeScalar('double', 'abc'), /not a number/);
  assert.deepEqual(encodeScalar('integer', ''), hex('00000000'), 'empty is 0, as UTM5 tools read it');
  assert.deepEqual(encodeScalar('double', ' '), hex('0000000000000000'));
  assert.throws(() => encodeScalar('ip_address', '300.1.1.1'), /not an IP address/);
});

test('scalars decode to the text scripts see', () => {
  assert.equal(decodeScalar('integer', hex('80000000')), '-2147483648');
  assert.equal(decodeScalar('long', hex('7fffffffffffffff')), '9223372036854775807');
  assert.equal(decodeScalar('double', hex('c059000000000000')), '-100');
  assert.throws(() => decodeScalar('integer', hex('0001')), /integer of 2 bytes/);
});

test('ip_address input is accepted in the 5.3 form and as raw bytes', () => {
  assert.equal(decodeIp(hex('0a000001')), '10.0.0.1');
  assert.equal(decodeIp(hex('04 0a000001')), '10.0.0.1');
  assert.equal(decodeIp(hex('00000000000000000000ffff0a000001')), '::ffff:a00:1');
  assert.equal(decodeIp(hex('06 fe800000000000000000000000000001')), 'fe80::1');
  assert.equal(decodeIp(hex('06 00000000000000000000000000000000')), '::');
  assert.throws(() => decodeIp(hex('010203')), /ip_address of 3 bytes/);
});
