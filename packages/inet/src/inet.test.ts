import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAddress,
  formatIpv4,
  formatIpv6,
  ipv4ToSigned,
  parseAddress,
  parseIpv4,
  parseIpv6,
  readIpv4,
  unmapIpv4,
  writeIpv4,
} from './index';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

test('IPv4 text reads as an unsigned 32-bit number and back; the signed form is what UTM5 integer fields carry', () => {
  assert.equal(parseIpv4('0.0.0.0'), 0);
  assert.equal(parseIpv4('10.1.2.3'), 0x0a010203);
  assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  assert.equal(parseIpv4('192.0.2.10'), 0xc000020a);
  assert.equal(ipv4ToSigned(0xc000020a), -1073741302);
  assert.equal(formatIpv4(0xc000020a), '192.0.2.10');
  assert.equal(formatIpv4(-1073741302), '192.0.2.10');
  assert.equal(formatIpv4(0), '0.0.0.0');
});

test('IPv4 text that is not four plain decimal octets is undefined, never an exception', () => {
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1..2.3',
    '1.2.3.',
    '.1.2.3',
    '010.0.0.1',
    '1.2.3.0x4',
    '1.2.3.4/8',
    '1234.1.1.1',
    'a.b.c.d',
    '::1',
  ]) {
    assert.equal(parseIpv4(bad), undefined, bad);
  }
  assert.equal(parseIpv4('0.10.100.0'), 0x000a6400, 'a lone 0 octet is not a leading zero');
});

test('IPv4 bytes at an offset read and write in network order (NetFlow fields)', () => {
  const b = new Uint8Array(6);
  writeIpv4(b, 1, 0xc0000201);
  assert.deepEqual(b, hex('00 c0000201 00'));
  assert.equal(readIpv4(b, 1), '192.0.2.1');
});

test('IPv6 text reads as 16 bytes: "::", a dotted IPv4 tail, either case', () => {
  assert.deepEqual(parseIpv6('::'), new Uint8Array(16));
  assert.deepEqual(parseIpv6('::1'), hex('0000 0000 0000 0000 0000 0000 0000 0001'));
  assert.deepEqual(parseIpv6('2001:DB8::8:800:200C:417A'), hex('2001 0db8 0000 0000 0008 0800 200c 417a'));
  assert.deepEqual(parseIpv6('2001:db8:0:0:1:0:0:1'), hex('2001 0db8 0000 0000 0001 0000 0000 0001'));
  assert.deepEqual(parseIpv6('1::'), hex('0001 0000 0000 0000 0000 0000 0000 0000'));
  assert.deepEqual(parseIpv6('::ffff:192.0.2.1'), hex('0000 0000 0000 0000 0000 ffff c000 0201'));
  assert.deepEqual(parseIpv6('1:2:3:4:5:6:1.2.3.4'), hex('0001 0002 0003 0004 0005 0006 0102 0304'));
  assert.deepEqual(parseIpv6('1:2:3:4:5:6:7::'), hex('0001 0002 0003 0004 0005 0006 0007 0000'));
});

test('IPv6 text that is not an address is undefined', () => {
  for (const bad of [
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::',
    ':1::',
    '1::2:',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8::',
    '::1.2.3',
    '::1.2.3.4:5',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:1.2.3.4',
  ]) {
    assert.equal(parseIpv6(bad), undefined, bad);
  }
});

test('IPv6 bytes write as RFC 5952 text: the longest run of two or more zero groups is "::", the first of equal runs', () => {
  assert.equal(formatIpv6(hex('2001 0db8 0000 0000 0008 0800 200c 417a')), '2001:db8::8:800:200c:417a');
  assert.equal(formatIpv6(hex('2001 0db8 0000 0001 0000 0000 0000 0001')), '2001:db8:0:1::1');
  assert.equal(formatIpv6(hex('2001 0db8 0000 0000 0001 0000 0000 0001')), '2001:db8::1:0:0:1');
  assert.equal(
    formatIpv6(hex('2001 0db8 0000 0001 0001 0001 0001 0001')),
    '2001:db8:0:1:1:1:1:1',
    'one zero group stays',
  );
  assert.equal(formatIpv6(new Uint8Array(16)), '::');
  assert.equal(formatIpv6(hex('ff 0000 0000 0000 0000 0000 0000 0000 0001'), 1), '::1', 'at an offset');
});

test('parseAddress picks the family by the text; formatAddress by the length; unmapIpv4 unwraps ::ffff:a.b.c.d', () => {
  assert.deepEqual(parseAddress('192.0.2.1'), hex('c0000201'));
  assert.deepEqual(parseAddress('2001:db8::1')?.length, 16);
  assert.equal(parseAddress('example.org'), undefined);
  assert.equal(formatAddress(hex('c0000201')), '192.0.2.1');
  assert.equal(formatAddress(parseAddress('2001:db8::1')!), '2001:db8::1');
  assert.equal(formatAddress(new Uint8Array(5)), undefined);
  assert.deepEqual(unmapIpv4(parseAddress('::ffff:192.0.2.1')!), hex('c0000201'));
  assert.equal(unmapIpv4(parseAddress('::1')!).length, 16);
  for (const text of ['10.0.0.1', '2001:db8::8:800:200c:417a', '::', 'fe80::1'])
    assert.equal(formatAddress(parseAddress(text)!), text);
});
