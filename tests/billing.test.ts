import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';
import { urfaclient, value } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const DAY = 86400;
const API = join(ROOT, 'xml', 'api.xml');

describe('billing engine I over URFA, urfaclient and utm5_payment_tool', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => api.call(name, inputs);
  const pt = (args: string[]) =>
    runProgram('utm5_payment_tool', ['-h', '127.0.0.1', '-P', String(core.urfaPort), ...args], { cwd: ROOT });

  before(async () => {
    core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
    api = await UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
    await call('utm5ts_set_time', { time: T0 });
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test('a user is created by the add_user_new action script and read back', async () => {
    const r = await urfaclient(core, [
      '-a',
      'add_user_new',
      '-login',
      'alice',
      '-password',
      'alice-pw',
      '-full_name',
      'Alice A.',
      '-email',
      'a@example.net',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const userId = value(r.stdout, 'user_id');
    const account = value(r.stdout, 'basic_account');
    const info = await urfaclient(core, ['-a', 'get_userinfo', '-user_id', userId]);
    assert.equal(value(info.stdout, 'login'), 'alice');
    assert.equal(value(info.stdout, 'full_name'), 'Alice A.');
    assert.equal(value(info.stdout, 'basic_account'), account);
    assert.equal(value(info.stdout, 'account_id_array'), account);
    const dup = await urfaclient(core, ['-a', 'add_user_new', '-login', 'alice', '-password', 'x']);
    assert.equal(dup.code, 10);
    assert.match(dup.stderr, /unable to add the user: login 'alice' is taken by user \d+/);
    const help = await urfaclient(core, ['-a', 'add_payment_for_account', '-help']);
    assert.match(
      help.stdout,
      /-payment_ext_number\s+external payment number: a retry with the same number and method credits nothing, text \(default: \)/,
    );
  });

  test('utm5_payment_tool credits an account, and a duplicate -e credits nothing (exit 8)', async () => {
    const u = await call('rpcf_add_user_new', { login: 'bob', password: 'bob-pw' });
    const acc = u.get('basic_account')!;
    const r = await pt(['-a', acc, '-b', '100', '-e', 'GW-77', '-L', 'gateway']);
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assert.match(id, /^\d+$/);
    const again = await pt(['-a', acc, '-b', '100', '-e', 'GW-77']);
    assert.equal(again.code, 8);
    assert.equal(again.stdout.trim(), id, 'the first transaction id');
    assert.match(
      again.stderr,
      /duplicate external number 'GW-77': it was already credited as payment \d+; nothing credited now/,
    );
    const info = await call('rpcf_get_accountinfo', { account_id: acc });
    assert.equal(info.get('balance'), '100');
    const bad = await pt(['-a', '999999', '-b', '5']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'utm5_payment_tool: payment refused: no account 999999\n');
    const amount = await pt(['-a', acc, '-b', 'ten']);
    assert.equal(amount.code, 1);
    assert.match(amount.stderr, /bad amount 'ten' \(-b\)/);
    // A negative amount would debit the customer: refused (usage, nothing sent) unless --debit says it is meant.
    const minus = await pt(['-a', acc, '-b', '-5']);
    assert.equal(minus.code, 2);
    assert.match(minus.stderr, /^utm5_payment_tool: -b -5 is negative: it would debit account \d+; add --debit/);
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'), '100', 'not debited');
    const debit = await pt(['-a', acc, '-b', '-5', '--debit']);
    assert.equal(debit.code, 0, debit.stderr);
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'), '95');
    const gone = await runProgram(
      'utm5_payment_tool',
      ['-h', '127.0.0.1', '-P', String(await freePort()), '-a', acc, '-b', '1'],
      { cwd: ROOT },
    );
    assert.equal(gone.code, 3);
    assert.match(gone.stderr, /connection refused/);
  });

  test('the payment tool config file overrides the command line, as the manual says', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const u = await call('rpcf_add_user_new', { login: 'carol', password: 'c' });
    const acc = u.get('basic_account')!;
    const cfg = join(mkdtempSync(join(tmpdir(), 'pt-')), 'utm5_payment_tool.cfg');
    writeFileSync(cfg, 'payment=7\n');
    const r = await pt(['--config', cfg, '-a', acc, '-b', '1000']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'), '7');
  });

  test('currencies, credit payments, rollbacks and blocks through URFA with the test clock', async () => {
    await call('rpcf_add_currency', {
      id: 840,
      currency_brief_name: 'USD',
      currency_full_name: 'US dollar',
      date: 0,
      rate: 30,
      percent: 0,
    });
    await call('rpcf_edit_currency', {
      id: 840,
      currency_brief_name: 'USD',
      currency_full_name: 'US dollar',
      date: T0 + 10 * DAY,
      rate: 35,
      percent: 0,
    });
    const u = await call('rpcf_add_user_new', { login: 'dave', password: 'd', balance: -100 });
    const acc = u.get('basic_account')!;
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('is_blocked'), '16');
    const usd = await call('rpcf_add_payment_for_account', {
      account_id: acc,
      payment: 2,
      currency_id: 840,
      payment_date: T0 + 20 * DAY,
    });
    assert.equal(
      (await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'),
      '-30',
      '2 USD at 35 on the payment date',
    );
    await call('rpcf_add_payment_for_account', {
      account_id: acc,
      payment: 100,
      payment_method: 4,
      burn_date: T0 + 3 * DAY,
    });
    let info = await call('rpcf_get_accountinfo', { account_id: acc });
    assert.deepEqual([info.get('credit'), info.get('is_blocked'), info.get('int_status')], ['100', '0', '1']);
    const refused = await call('utm5ts_rollback_payment', { pay_t_id: 0 }).catch((e: Error) => e.message);
    assert.match(String(refused), /rollback refused: no payment 0/);
    const credits = await call('rpcf_payments_report_new', { account_id: acc, time_start: 0, time_end: 2000000000 });
    const creditId = credits.get('id', [0, 1])!;
    await assert.rejects(call('utm5ts_rollback_payment', { pay_t_id: creditId }), /is a credit payment/);
    await call('rpcf_cancel_payment_for_account', {
      pay_t_id: usd.get('payment_transaction_id')!,
      com_for_user: '',
      com_for_admin: 'test',
    });
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'), '-100');
    await call('utm5ts_advance_time', { seconds: 3 * DAY });
    info = await call('rpcf_get_accountinfo', { account_id: acc });
    assert.deepEqual(
      [info.get('credit'), info.get('is_blocked'), info.get('int_status')],
      ['0', '16', '0'],
      'credit expired: system block',
    );
    const blocks = await call('rpcf_blocks_report', { account_id: acc, time_start: 0, time_end: 2000000000 });
    assert.deepEqual([blocks.get('block_type', [0, 0]), blocks.get('block_type', [0, 1])], ['16', '16']);
    const other = await call('rpcf_other_charges_report', { account_id: acc, time_start: 0, time_end: 2000000000 });
    assert.deepEqual([other.get('charge_type', [0, 0]), other.get('discount', [0, 0])], ['2', '70'], 'the rollback');
  });

  test('an expiring payment burns at its date, postponed by a second one; the other charges report shows it', async () => {
    const u = await call('rpcf_add_user_new', { login: 'frank', password: 'f' });
    const acc = u.get('basic_account')!;
    const now = Number((await call('utm5ts_get_time')).get('now'));
    await call('rpcf_add_payment_for_account', { account_id: acc, payment: 30, burn_date: now + 2 * DAY });
    await call('utm5ts_advance_time', { seconds: DAY });
    await call('rpcf_add_payment_for_account', { account_id: acc, payment: 20, burn_date: now + 5 * DAY });
    await call('utm5ts_advance_time', { seconds: 2 * DAY });
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'), '50', 'postponed');
    const pools = await call('utm5ts_expiring_payments_report', { user_id: u.get('user_id')! });
    assert.deepEqual([pools.get('sum', [0]), pools.get('burn_date', [0])], ['50', String(now + 5 * DAY)]);
    await call('utm5ts_advance_time', { seconds: 2 * DAY });
    assert.equal((await call('rpcf_get_accountinfo', { account_id: acc })).get('balance'), '0');
    const other = await call('rpcf_other_charges_report', { account_id: acc, time_start: 0, time_end: 2000000000 });
    assert.deepEqual(
      [other.get('charge_type', [0, 0]), other.get('discount', [0, 0]), other.get('discount_date', [0, 0])],
      ['1', '50', String(now + 5 * DAY)],
    );
  });

  test('cards: a web system user registers card_NUM; the customer logs in and activates another card', async () => {
    await call('rpcf_card_pool_add', { size: 2, balance: 40, days: 5, sec_size: 6 });
    const list = await call('rpcf_card_list', { pool_id: 1 });
    const [id1, id2] = [list.get('card_id', [0])!, list.get('card_id', [1])!];
    const [pin1, pin2] = [list.get('secret', [0])!, list.get('secret', [1])!];
    const web = await UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'web', password: 'web' });
    const reg = await web.call('utm5ts_card_register', { card_id: id1, secret: pin1 });
    await web.close();
    assert.equal(reg.get('login'), `card_${id1}`);
    const cust = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: reg.get('login')!,
      password: reg.get('password')!,
      loginType: 0,
    });
    const me = await cust.call('rpcf_user5_get_user_info');
    assert.deepEqual([me.get('login'), me.get('balance')], [`card_${id1}`, '40']);
    await cust.call('rpcf_user5_card_payment', { account_id: me.get('basic_account')!, card_id: id2, secret: pin2 });
    assert.equal((await cust.call('rpcf_user5_get_accounts')).get('balance', [0]), '80');
    await assert.rejects(cust.call('rpcf_get_userinfo', { user_id: 1 }), /forbidden/);
    await cust.close();
    const r = await urfaclient(core, ['-a', 'user5_get_accounts', '-u'], {
      login: reg.get('login')!,
      password: reg.get('password')!,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<double name="balance" index="0" value="80"\/>/);
  });

  test("a dealer manages only their own users; touching another dealer's user is refused and journaled", async () => {
    for (const d of ['d1', 'd2']) {
      await call('rpcf_add_dealer', { login: d, password: `${d}-pw`, ip4_address: '127.0.0.0', mask4: 8 });
    }
    const d1 = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'd1',
      password: 'd1-pw',
      loginType: 2,
    });
    const mine = await d1.call('rpcf_dealer_add_user', { login: 'eve', password: 'e' });
    const eve = mine.get('user_id')!;
    const acc = mine.get('account_id')!;
    await d1.call('rpcf_dealer_add_payment_for_account', { account_id: acc, payment: 15 });
    assert.equal((await d1.call('rpcf_dealer_get_account_info', { account_id: acc })).get('balance'), '15');
    assert.equal((await d1.call('rpcf_dealer_get_users_list')).get('login_array', [0]), 'eve');
    await assert.rejects(
      d1.call('rpcf_get_userinfo', { user_id: eve }),
      /forbidden/,
      'admin functions are not for dealers',
    );
    await d1.close();
    const d2 = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'd2',
      password: 'd2-pw',
      loginType: 2,
    });
    await assert.rejects(d2.call('rpcf_dealer_get_user_info', { user_id: eve }), /user not found/);
    await assert.rejects(
      d2.call('rpcf_dealer_add_payment_for_account', { account_id: acc, payment: 1 }),
      /payment failed/,
    );
    assert.equal((await d2.call('rpcf_dealer_get_users_list')).get('cnt'), '0');
    await d2.close();
    const log = await call('rpcf_get_user_log', { user_id: eve, tstart: 0, tstop: 2000000000, group_id: 0, action: 0 });
    const wants = Array.from({ length: Number(log.get('size')) }, (_, i) => log.get('want', [i]));
    assert.ok(wants.includes('user_add') && wants.includes('payment'), wants.join(','));
  });
});
