import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SystemGroupRecord } from '@utm5/db';
import { isPermitted } from './permission';
import type { Principal } from './principal';

const groups = new Map<number, SystemGroupRecord>([
  [1, { id: 1, name: 'Wheel', info: '', rights: [{ from: 0, to: 0x7fffffff, allowed: true }] }],
  [2, { id: 2, name: 'Dealers', info: '', rights: [{ from: 0x70000000, to: 0x7fffffff, allowed: true }] }],
  [
    3,
    {
      id: 3,
      name: 'Cashiers',
      info: '',
      rights: [
        { from: 0x3000, to: 0x3fff, allowed: true },
        { from: 0x3111, to: 0x3111, allowed: false }, // narrower range wins: no cancelling payments
      ],
    },
  ],
]);

const customer: Principal = { kind: 'customer', id: 10, login: 'bob' };
const dealer: Principal = { kind: 'dealer', id: 5, login: 'd1' };
const sys = (...g: number[]): Principal => ({ kind: 'system', id: -10, login: 'x', groups: g });

test('customers may call negative ids only, at the edges', () => {
  assert.equal(isPermitted(customer, -1, groups), true);
  assert.equal(isPermitted(customer, -0x80000000, groups), true);
  assert.equal(isPermitted(customer, 0, groups), false);
  assert.equal(isPermitted(customer, 0x70000000, groups), false);
});

test('dealers may call 0x70000000..0x7fffffff only, at the edges', () => {
  assert.equal(isPermitted(dealer, 0x6fffffff, groups), false);
  assert.equal(isPermitted(dealer, 0x70000000, groups), true);
  assert.equal(isPermitted(dealer, 0x7fffffff, groups), true);
  assert.equal(isPermitted(dealer, -1, groups), false);
  assert.equal(isPermitted(dealer, 0x0045, groups), false);
});

test('system users get what their groups grant, summed over groups, never customer functions', () => {
  assert.equal(isPermitted(sys(1), 0, groups), true);
  assert.equal(isPermitted(sys(1), 0x4417, groups), true);
  assert.equal(isPermitted(sys(1), 0x60000001, groups), true);
  assert.equal(isPermitted(sys(1), -0x45, groups), false);
  assert.equal(isPermitted(sys(), 0x0045, groups), false, 'no group, no rights');
  assert.equal(isPermitted(sys(2), 0x0045, groups), false);
  assert.equal(isPermitted(sys(2), 0x70000001, groups), true);
  assert.equal(isPermitted(sys(3), 0x3110, groups), true);
  assert.equal(isPermitted(sys(3), 0x3111, groups), false, 'narrowest range decides within a group');
  assert.equal(isPermitted(sys(3, 1), 0x3111, groups), true, 'another group granting it adds up');
  assert.equal(isPermitted(sys(99), 0x0045, groups), false, 'unknown group grants nothing');
});
