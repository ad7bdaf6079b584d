import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleApplies, type RuleScope, type ScopeFacts } from './applicability';

const rule = (o: Partial<RuleScope>): RuleScope => ({ flags: 0, userId: 0, groupId: 0, tariffId: 0, ...o });
const alice: ScopeFacts = { userId: 5, groupIds: new Set([10, 11]), tariffIds: new Set([3]) };

test('all users: by the flag, or with no condition set; a userless event only for those', () => {
  assert.ok(ruleApplies(rule({ flags: 1, userId: 99 }), alice));
  assert.ok(ruleApplies(rule({}), alice));
  assert.ok(ruleApplies(rule({}), undefined));
  assert.ok(!ruleApplies(rule({ userId: 5 }), undefined));
});

test('user, group and tariff conditions combine with OR, or AND with flag 2', () => {
  assert.ok(ruleApplies(rule({ userId: 5 }), alice));
  assert.ok(!ruleApplies(rule({ userId: 6 }), alice));
  assert.ok(ruleApplies(rule({ groupId: 11 }), alice));
  assert.ok(!ruleApplies(rule({ groupId: 12 }), alice));
  assert.ok(ruleApplies(rule({ tariffId: 3 }), alice));
  assert.ok(!ruleApplies(rule({ tariffId: 4 }), alice));
  assert.ok(ruleApplies(rule({ userId: 6, tariffId: 3 }), alice), 'OR: one is enough');
  assert.ok(!ruleApplies(rule({ flags: 2, userId: 6, tariffId: 3 }), alice), 'AND: both needed');
  assert.ok(ruleApplies(rule({ flags: 2, userId: 5, groupId: 10, tariffId: 3 }), alice));
  assert.ok(!ruleApplies(rule({ flags: 2, userId: 5, groupId: 12 }), alice));
});
