import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv6, parseIpv4, parseIpv6 } from './ip-address';

test('IPv4 text: strict dotted quads only', () => {
  assert.deepEqual(parseIpv4('192.168.1.16'), Buffer.from([192, 168, 1, 16]));
  assert.deepEqual(parseIpv4('0.0.0.0'), Buffer.alloc(4));
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1.2.3.-4']) {
    assert.equal(parseIpv4(bad), undefined, bad);
  }
});

test('IPv6 text: RFC 5952 out, every legal form in', () => {
  const cases: [string, string][] = [
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['fe80::1%eth0', 'fe80::1'],
  ];
  for (const [input, text] of cases) {
    const b = parseIpv6(input);
    assert.ok(b, input);
    assert.equal(formatIpv6(b), text, input);
  }
  for (const bad of ['', '1:2', ':::', '1::2::3', '12345::', '1.2.3.4', 'g::1'])
    assert.equal(parseIpv6(bad), undefined, bad);
});
