import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHAPING_VARIABLE_VALUES } from '@utm5/protocol';
import { fwEventKeys } from './event-keys';
import { FW_EVENTS, FW_EVENTS_RAISED, hasEvent } from './fw-events';
import { FW_VARIABLES, variableEventMask, variableValue } from './variables';

test("the variables table holds every variable of the manual's table, once", () => {
  const names = FW_VARIABLES.map((v) => v.name);
  assert.equal(new Set(names).size, names.length, 'no variable twice');
  const manual =
    'UID UGROUP LOGIN EMAIL ACCOUNT_ID RULE_ID FULL_NAME MOBILE_PHONE WORK_PHONE HOME_PHONE SWITCH_IP SWITCH_PORT ' +
    'SLINK_ID ULOGIN UIP UMASK UINVERTMASK UBITS MAC SERVICE_ID UPASS DIALUP_FLAGS UCID UCSID DIALUP_LIST BLOCK_TYPE ' +
    'SLINK_LIST EXTERNAL_ID BALANCE TECH_PARAM_TYPE TECH_PARAM_ID TECH_PARAM_VALUE TECH_PARAM_PASS TECH_PARAM_T_ID ' +
    'SERVICE_TYPE TARIFF_LINK_ID DISCOUNT_PERIOD_ID START_DATE END_DATE IP_GROUP_ID IPTV_SERVICE_DATA IP_GROUP_LIST ' +
    'TIME_LIMIT TEL_LIST NAS_ID NAS_IP SESSION_ID ACCT_STATUS_TYPE CALLING_SID CALLED_SID FRAMED_IP BANDWIDTH PATH ' +
    'PAYMENT_AMOUNT PAYMENT_TYPE ACTION COMMENTS WHO PASSWORD TEL_NUMBER TILL USW_IP USW_LOGIN USW_PASS ' +
    'USW_REMOTE_ID USW_ID USW_PORT UVLAN';
  for (const n of manual.split(' ')) assert.ok(names.includes(n), n);
  for (const n of Object.keys(SHAPING_VARIABLE_VALUES)) {
    assert.ok(names.includes(`IN_${n}`) && names.includes(`OUT_${n}`), n);
  }
  for (const v of FW_VARIABLES) assert.ok(v.description && v.events.length > 0, v.name);
});

test('a variable outside its events gets its default; inside, the value or the default', () => {
  const values = new Map([
    ['UIP', '10.0.0.1'],
    ['BALANCE', '-5'],
    ['UID', '7'],
  ]);
  assert.equal(variableValue('UIP', 'internet_on', values), '10.0.0.1');
  assert.equal(variableValue('UIP', 'payment', values), '0.0.0.0', 'UIP does not apply to payments');
  assert.equal(variableValue('BALANCE', 'balance', values), '-5');
  assert.equal(variableValue('BALANCE', 'internet_on', values), '0');
  assert.equal(variableValue('UID', 'raw_file_closed', values), '', 'no user for a closed file');
  assert.equal(variableValue('BLOCK_TYPE', 'block_changed', new Map()), '-1', 'no value: the default');
  assert.equal(variableValue('UMASK', 'internet_off', new Map()), '255.255.255.255');
});

test('rpcf_get_fw_subst masks are the events each variable applies to', () => {
  const uip = FW_VARIABLES.find((v) => v.name === 'UIP')!;
  const m = variableEventMask(uip);
  assert.ok(hasEvent(m, 'internet_on') && hasEvent(m, 'bw_out_delete') && hasEvent(m, 'hotspot_on'));
  assert.ok(!hasEvent(m, 'payment') && !hasEvent(m, 'user_add'));
  const uid = variableEventMask(FW_VARIABLES.find((v) => v.name === 'UID')!);
  assert.ok(!hasEvent(uid, 'raw_file_closed') && hasEvent(uid, 'user_delete') && hasEvent(uid, 'payment'));
});

test('every billing event kind maps to its FW_EVENTS key, links by service type', () => {
  const link = (serviceType: number, op: 'add' | 'edit' | 'delete') =>
    fwEventKeys({ kind: 'link', op, serviceType, accountId: 1, slinkId: 2 });
  assert.deepEqual(link(3, 'add'), ['iptraffic_link_add']);
  assert.deepEqual(link(5, 'edit'), ['dialup_link_edit']);
  assert.deepEqual(link(6, 'delete'), ['tel_link_delete']);
  assert.deepEqual(link(4, 'add'), ['hotspot_user_add']);
  assert.deepEqual(link(2, 'add'), [], 'periodic links have no firewall event');
  assert.deepEqual(fwEventKeys({ kind: 'internet', on: false, accountId: 1 }), ['internet_off']);
  assert.deepEqual(fwEventKeys({ kind: 'user', op: 'delete', userId: 1 }), ['user_delete']);
  assert.deepEqual(
    fwEventKeys({ kind: 'bandwidth', dir: 'out', op: 'edit', accountId: 1, slinkId: 1, kbit: 1, otherKbit: 0 }),
    ['bw_out_edit'],
  );
  assert.deepEqual(fwEventKeys({ kind: 'raw_file_closed', path: '/x' }), ['raw_file_closed']);
  const keys = new Set(FW_EVENTS.map((e) => e.key));
  for (const k of FW_EVENTS_RAISED) assert.ok(keys.has(k));
  // rpcf_get_fw_events says what is really raised: hotspot sessions and links are, tech parameters and files not.
  for (const k of ['hotspot_on', 'hotspot_user_add', 'payment', 'user_log'] as const)
    assert.ok(FW_EVENTS_RAISED.includes(k), k);
  for (const k of ['tech_param_add', 'raw_file_closed', 'log_file_closed', 'dhcp_lease_new'] as const)
    assert.ok(!FW_EVENTS_RAISED.includes(k), k);
});
