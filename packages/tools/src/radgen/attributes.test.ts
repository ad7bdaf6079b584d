import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codecAttribute, hexAttribute, passwordAttribute, valueAttribute, wireLength } from './attributes';
import { UsageError } from '../cli/args';

test('-a vendor_id:attr_id:is_digit:value: strings keep their colons, integers are 4 bytes (an IPv4 address too)', () => {
  assert.deepEqual(valueAttribute('9:1:0:ip:addr-pool=a'), {
    kind: 'value',
    vendor: 9,
    type: 1,
    value: Buffer.from('ip:addr-pool=a'),
  });
  assert.deepEqual(valueAttribute(':40:1:2'), {
    kind: 'value',
    vendor: 0,
    type: 40,
    value: Buffer.from('00000002', 'hex'),
  });
  assert.deepEqual(valueAttribute('0:27:1:0xffffffff'), {
    kind: 'value',
    vendor: 0,
    type: 27,
    value: Buffer.from('ffffffff', 'hex'),
  });
  assert.deepEqual(valueAttribute('0:8:1:10.0.0.1'), {
    kind: 'value',
    vendor: 0,
    type: 8,
    value: Buffer.from('0a000001', 'hex'),
  });
  assert.throws(() => valueAttribute('0:46:1:4294967296'), /not an integer 0\.\.4294967295/);
  assert.throws(() => valueAttribute('0:0:0:x'), /attr_id 0 is not an integer 1\.\.255/);
  assert.throws(() => valueAttribute(`0:1:0:${'x'.repeat(254)}`), /254 bytes: an attribute carries 1 to 253/);
});

test('-b vendor_id:attr_id:hex and -u, and what they take in the packet', () => {
  const b = hexAttribute('311:11:0x00ff');
  assert.deepEqual(b, { kind: 'value', vendor: 311, type: 11, value: Buffer.from([0, 255]) });
  assert.equal(wireLength(b), 2 + 6 + 2);
  assert.deepEqual(codecAttribute(b), { vendor: 311, type: 11, bytes: Buffer.from([0, 255]) });
  assert.throws(() => hexAttribute('0:25:'), UsageError);
  const u = passwordAttribute('seventeen-bytes!!');
  assert.equal(wireLength(u), 2 + 32, 'hidden in 16-byte blocks');
  assert.deepEqual(codecAttribute(u), { name: 'User-Password', value: 'seventeen-bytes!!' });
  assert.throws(() => passwordAttribute('x'.repeat(129)), /129 bytes: User-Password carries 1 to 128/);
});
