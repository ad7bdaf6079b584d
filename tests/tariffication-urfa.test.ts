import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { urfaclient, value } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const DAY = 86400;
const API = join(ROOT, 'xml', 'api.xml');

describe('tariffication over URFA', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => api.call(name, inputs);

  before(async () => {
    core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
    // A month on the test clock runs every occurrence of every system service: allow it time on a loaded machine.
    api = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
      timeoutMs: 120_000,
    });
    await call('utm5ts_set_time', { time: T0 });
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test('a periodic service linked to an account is listed, charged at the period start and shows in the reports', async () => {
    await call('rpcf_add_time_range', {
      tr_name: 'nights',
      priority: 1,
      sec_start: [0],
      sec_stop: [59],
      min_start: [0],
      min_stop: [59],
      hour_start: [0],
      hour_stop: [7],
      wday_start: [0],
      wday_stop: [6],
      internal_id: [0],
      mday: [1],
      month: [1],
    });
    const ranges = await call('rpcf_get_time_ranges');
    assert.deepEqual(
      [ranges.get('size_tr'), ranges.get('tr_name', [0]), ranges.get('hour_stop', [0, 0]), ranges.get('month', [0, 0])],
      ['1', 'nights', '7', '1'],
    );

    const policy = Number(
      (
        await call('rpcf_add_charge_policy', {
          flags: 0x400000,
          name: 'refund at period end',
          tm_count: 2,
          timemark: [DAY, 2 * DAY],
        })
      ).get('result'),
    );
    assert.ok(policy > 0, 'the new policy id');
    const policies = await call('rpcf_get_charge_policy_list');
    const row = Array.from({ length: Number(policies.get('policy_count')) }, (_, i) => i).find(
      (i) => policies.get('policy_id_array', [i]) === String(policy),
    )!;
    assert.deepEqual(
      [policies.get('name_array', [row]), policies.get('tm_count', [row]), policies.get('timemark', [row, 1])],
      ['refund at period end', '2', String(2 * DAY)],
    );

    const period = Number(
      (await call('rpcf_add_discount_period_return', { start_date: T0, periodic_type: 3 })).get('discount_period_id'),
    );
    assert.ok(period > 0, 'the new period id');
    const p = await call('rpcf_get_discount_period', { discount_period_id: period });
    assert.deepEqual(
      [p.get('start_date'), p.get('end_date'), p.get('periodic_type')],
      [String(T0), String(T0 + 30 * DAY), '3'],
      'April is 30 days',
    );

    const service = Number(
      (
        await call('rpcf_add_periodic_service_ex', {
          parent_id: 0,
          tariff_id: 0,
          service_name: 'Internet 100',
          comment: 'flat fee',
          link_by_default: 0,
          contract_type: 0,
          cost: 100,
          discount_method: 1,
          scheme_id: 0,
        })
      ).get('service_id'),
    );
    assert.ok(service > 0, 'the new service id');
    const svc = await call('rpcf_get_periodic_service', { sid: service });
    assert.deepEqual(
      [svc.get('service_name'), svc.get('cost'), svc.get('discount_method')],
      ['Internet 100', '100', '1'],
    );

    const u = await call('rpcf_add_user_new', {
      login: 'tariffed',
      password: 'pw',
      full_name: 'Tariffed T.',
      balance: 250,
    });
    const userId = u.get('user_id')!;
    const account = u.get('basic_account')!;
    const slink = Number(
      (
        await call('rpcf_add_periodic_slink_ex', {
          // start_date defaults to the client's now(), which is not the core's test clock
          user_id: userId,
          account_id: account,
          service_id: service,
          discount_period_id: period,
          policy_id: policy,
          start_date: T0,
        })
      ).get('slink_id'),
    );
    assert.ok(slink > 0, 'the new service link id');

    const links = await call('rpcf_get_all_services_for_user', { account_id: account });
    assert.deepEqual(
      [
        links.get('slink_id_count'),
        links.get('service_id_array', [0]),
        links.get('slink_id_array', [0]),
        links.get('service_name_array', [0]),
        links.get('service_cost_array', [0]),
        links.get('discount_period_id_array', [0]),
      ],
      ['1', String(service), String(slink), 'Internet 100', '100', String(period)],
    );
    const link = await call('rpcf_get_periodic_service_link', { slink_id: slink });
    assert.deepEqual(
      [link.get('discount_period_id'), link.get('policy_id'), link.get('cost_coef')],
      [String(period), String(policy), '1'],
    );
    const stats = await call('rpcf_get_periodic_link_stats', { slink_id: slink });
    assert.deepEqual([stats.get('result'), stats.get('is_active'), stats.get('charged')], ['0', '1', '100']);
    assert.equal(
      (await call('rpcf_get_accountinfo', { account_id: account })).get('balance'),
      '150',
      'charged at the period start',
    );

    const general = await call('rpcf_general_report_new', { account_id: account, start_date: T0, end_date: T0 + DAY });
    assert.deepEqual(
      [
        general.get('accounts_count'),
        general.get('account_id', [0]),
        general.get('login', [0]),
        general.get('discounted_periodic', [0]),
        general.get('discounted_once', [0]),
        general.get('discounted_with_tax', [0]),
        general.get('outgoing_rest', [0]),
      ],
      ['1', account, 'tariffed', '100', '0', '100', '150'],
    );
    assert.deepEqual(
      [general.get('incoming_rest', [0]), general.get('payments', [0])],
      ['0', '250'],
      "the new account's opening balance is a payment",
    );
    const services = await call('rpcf_service_report_new', { account_id: account, time_start: T0, time_end: T0 + DAY });
    assert.deepEqual(
      [
        services.get('accounts_count'),
        services.get('discount', [0, 0]),
        services.get('service_name', [0, 0]),
        services.get('service_type', [0, 0]),
        services.get('discount_period_id', [0, 0]),
      ],
      ['1', '100', 'Internet 100', '2', String(period)],
    );

    assert.equal((await call('rpcf_is_service_used', { sid: service })).get('links_count'), '1');
    await call('rpcf_delete_slink', { slink_id: slink });
    assert.equal((await call('rpcf_get_all_services_for_user', { account_id: account })).get('slink_id_count'), '0');
  });

  test('a tariff plan built and linked with utm5_urfaclient action scripts switches to the next plan at the period end', async () => {
    const run = async (action: string, params: Record<string, string | number>) => {
      const r = await urfaclient(core, [
        '-a',
        action,
        ...Object.entries(params).flatMap(([k, v]) => [`-${k}`, String(v)]),
      ]);
      assert.equal(r.code, 0, `${action}: ${r.stderr}`);
      return r.stdout;
    };
    const start = T0 + 40 * DAY; // May 11; the clock is moved there first
    await call('utm5ts_set_time', { time: start });
    const period = value(
      await run('add_discount_period_return', { start_date: start, periodic_type: 3 }),
      'discount_period_id',
    );
    const tpl = value(
      await run('add_periodic_service_ex', {
        parent_id: -1,
        tariff_id: 0,
        service_name: 'Internet',
        comment: '',
        link_by_default: 1,
        contract_type: 0,
        cost: 0,
        discount_method: 1,
        scheme_id: 0,
      }),
      'service_id',
    );
    const plans: string[] = [];
    for (const [name, cost] of [
      ['Fast', 300],
      ['Slow', 100],
    ] as const) {
      const plan = value(await run('add_tariff_new', { name, balance_rollover: 0, comments: '' }), 'tp_id');
      await run('add_periodic_service_ex', {
        parent_id: tpl,
        tariff_id: plan,
        service_name: `${name} Internet`,
        comment: '',
        link_by_default: 1,
        contract_type: 0,
        cost,
        discount_method: 1,
        scheme_id: 0,
      });
      plans.push(plan);
    }
    const list = await run('get_tariffs_list', {});
    assert.match(list, /value="Fast"/);
    assert.match(list, /value="Slow"/);
    const u = await call('rpcf_add_user_new', { login: 'switcher', password: 'pw', full_name: 'S.', balance: 1000 });
    const account = u.get('basic_account')!;
    await run('link_user_tariff', {
      user_id: u.get('user_id')!,
      account_id: account,
      tariff_current: plans[0]!,
      tariff_next: plans[1]!,
      discount_period_id: period,
    });
    assert.equal(
      (await call('rpcf_get_accountinfo', { account_id: account })).get('balance'),
      '700',
      'Fast charged at linking',
    );
    const before = await run('get_user_tariffs', { user_id: u.get('user_id')!, account_id: account });
    assert.equal(value(before, 'tariff_current_array'), plans[0]);
    await call('utm5ts_set_time', { time: start + 31 * DAY }); // June 11: the period closes, the plan switches
    const after = await run('get_user_tariffs', { user_id: u.get('user_id')!, account_id: account });
    assert.equal(value(after, 'tariff_current_array'), plans[1], 'the next plan is current');
    assert.equal(
      (await call('rpcf_get_accountinfo', { account_id: account })).get('balance'),
      '600',
      'Slow charged for the new period',
    );
  });
});
