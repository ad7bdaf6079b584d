import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressBook, PoolSet, hostRange } from './ip-pools';

const pool = (id: number, name: string, address: string, mask: number) => ({ id, name, address, mask });

test('host range leaves out the network and broadcast addresses of networks wider than /31', () => {
  assert.deepEqual(hostRange('10.0.0.77', 24), { first: 0x0a000001, count: 254 });
  assert.deepEqual(hostRange('10.0.0.5', 32), { first: 0x0a000005, count: 1 });
  assert.deepEqual(hostRange('10.0.0.4', 31), { first: 0x0a000004, count: 2 });
  assert.equal(hostRange('10.0.0', 24), undefined);
});

test('pools sharing a name are used in id order, each until it runs out; a full set refuses', () => {
  const ps = new PoolSet(new AddressBook(), false);
  // Given out of id order: the second-added pool (id 2) comes after id 1 anyway.
  ps.update([pool(2, 'dial', '10.2.0.0', 30), pool(1, 'dial', '10.1.0.0', 30), pool(3, 'other', '10.3.0.0', 30)]);
  const got = [1, 2, 3, 4].map(() => ps.take('dial', 100, 200));
  assert.deepEqual(got, ['10.1.0.1', '10.1.0.2', '10.2.0.1', '10.2.0.2']);
  assert.equal(ps.take('dial', 100, 200), undefined);
  assert.equal(ps.take('nope', 100, 200), undefined);
  assert.equal(ps.nameOf('10.2.0.2'), 'dial');
  assert.equal(ps.nameOf('10.3.0.1'), 'other');
  assert.equal(ps.nameOf('10.9.0.1'), undefined);
});

test('an address held until a time is free again after it, and a released one at once', () => {
  const book = new AddressBook();
  const ps = new PoolSet(book, false);
  ps.update([pool(1, 'p', '10.1.0.0', 30)]);
  assert.equal(ps.take('p', 100, 130), '10.1.0.1');
  assert.equal(ps.take('p', 100, Infinity), '10.1.0.2');
  assert.equal(ps.take('p', 120, 150), undefined, 'both busy');
  assert.equal(ps.take('p', 130, 160), '10.1.0.1', 'the Access-Accept hold ran out (no Accounting-Start came)');
  book.release('10.1.0.2');
  assert.equal(ps.take('p', 131, 160), '10.1.0.2');
});

test('named_pool_shuffle starts at a random pool of the name; pools left unchanged keep their place', () => {
  const rolls = [0.9, 0.1];
  const ps = new PoolSet(new AddressBook(), true, () => rolls.shift() ?? 0);
  ps.update([pool(1, 'dial', '10.1.0.0', 29), pool(2, 'dial', '10.2.0.0', 29)]);
  assert.equal(ps.take('dial', 0, 10), '10.2.0.1');
  assert.equal(ps.take('dial', 0, 10), '10.1.0.1');
  ps.update([pool(1, 'dial', '10.1.0.0', 29), pool(2, 'dial', '10.2.0.0', 29)]);
  assert.equal(ps.take('dial', 0, 10), '10.1.0.2', 'the cursor of pool 1 was kept');
});
