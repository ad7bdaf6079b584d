import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inAnyCidr, inSubnet, isLoopback, normalizeIp, parseCidr } from './subnet';

test('subnet membership at the edges, IPv4 and IPv6', () => {
  assert.equal(inSubnet('192.168.1.255', '192.168.1.0', 24), true);
  assert.equal(inSubnet('192.168.2.0', '192.168.1.0', 24), false);
  assert.equal(inSubnet('10.1.2.3', '0.0.0.0', 0), true);
  assert.equal(inSubnet('::ffff:10.1.2.3', '10.0.0.0', 8), true);
  assert.equal(inSubnet('2001:db8::1', '2001:db8::', 32), true);
  assert.equal(inSubnet('2001:db9::1', '2001:db8::', 32), false);
  assert.equal(inSubnet('10.0.0.1', '2001:db8::', 0), false);
  assert.equal(inSubnet('garbage', '10.0.0.0', 8), false);
});

test('loopback detection and normalisation', () => {
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('127.10.0.1'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('::ffff:127.0.0.1'), true);
  assert.equal(isLoopback('10.0.0.1'), false);
  assert.equal(normalizeIp('::ffff:192.0.2.1'), '192.0.2.1');
});

test('CIDR lists', () => {
  const list = ['127.0.0.0/8', '::1', '10.0.0.0/8'].map(parseCidr);
  assert.equal(inAnyCidr('10.9.9.9', list), true);
  assert.equal(inAnyCidr('::1', list), true);
  assert.equal(inAnyCidr('11.0.0.1', list), false);
});

test('a link-local peer keeps its zone; text that is not a network is refused', () => {
  assert.equal(normalizeIp('fe80::1%eth0'), 'fe80::1%eth0');
  assert.equal(inSubnet('fe80::1%eth0', 'fe80::', 10), true);
  assert.throws(() => normalizeIp('garbage'), RangeError);
  assert.equal(isLoopback('garbage'), false);
  assert.deepEqual(parseCidr('10.1.2.3/8'), { network: '10.1.2.3', bits: 8 });
  for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0/8', '::/129', 'x/1'])
    assert.throws(() => parseCidr(bad), RangeError, bad);
});
