import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { MB, PLAN, setupIpTraffic, tclassInput, type IpTrafficSetup } from './helpers/ip-traffic';
import { ROOT } from './helpers/paths';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const API = join(ROOT, 'xml', 'api.xml');
const MAX_GROUP = 0x40000000;

describe('IP traffic over URFA', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  let s: IpTrafficSetup;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => api.call(name, inputs);
  const rows = (n: string | undefined) => Array.from({ length: Number(n) }, (_, i) => i);

  before(async () => {
    core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
    api = await UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
    await call('utm5ts_set_time', { time: T0 });
    s = await setupIpTraffic(api, { start: T0, login: 'tlogin', ip: '10.1.0.5', balance: 100 });
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test('a traffic class added with rpcf_add_tclass2 reads back whole, is listed, edited and removed', async () => {
    await call(
      'rpcf_add_tclass2',
      tclassInput(20, 'Web', [
        { saddr: '192.168.0.0', saddr_mask: 16, dport: 80, use_dport: 1, proto: 6, use_proto: 1 },
        { saddr: '::', daddr: '2001:db8::', daddr_mask: 32, skip: 1 },
      ]),
    );
    const c = await call('rpcf_get_tclass', { tclass_id: 20 });
    assert.deepEqual(
      [c.get('tclass_name'), c.get('graph_color'), c.get('is_display'), c.get('tclass_count')],
      ['Web', String(0xff0000), '1', '2'],
    );
    assert.deepEqual(
      [
        c.get('saddr', [0]),
        c.get('saddr_mask', [0]),
        c.get('dport', [0]),
        c.get('use_dport', [0]),
        c.get('proto', [0]),
        c.get('use_proto', [0]),
        c.get('use_sport', [0]),
        c.get('skip', [0]),
      ],
      ['192.168.0.0', '16', '80', '1', '6', '1', '0', '0'],
    );
    assert.deepEqual([c.get('daddr', [1]), c.get('daddr_mask', [1]), c.get('skip', [1])], ['2001:db8::', '32', '1']);

    await call('rpcf_add_tclass2', tclassInput(0, 'Next', []));
    const list = await call('rpcf_get_tclasses');
    assert.deepEqual(
      rows(list.get('tclass_list_size')).map((i) => `${list.get('tclass_id', [i])} ${list.get('tclass_name', [i])}`),
      [`${PLAN.tclass} Internet`, '20 Web', '21 Next'],
      'tclass_id 0 takes the next free id',
    );

    await call(
      'rpcf_edit_tclass',
      tclassInput(21, 'Local', [{ saddr: '10.0.0.0', saddr_mask: 8, daddr: '10.0.0.0', daddr_mask: 8 }]),
    );
    const edited = await call('rpcf_get_tclass', { tclass_id: 21 });
    assert.deepEqual(
      [edited.get('tclass_name'), edited.get('tclass_count'), edited.get('daddr', [0])],
      ['Local', '1', '10.0.0.0'],
    );

    assert.equal((await call('rpcf_remove_tclass', { tclass_id: 20 })).get('result'), '0');
    assert.equal((await call('rpcf_remove_tclass', { tclass_id: 20 })).get('result'), '-1', 'gone already');
    assert.equal(
      (await call('rpcf_remove_tclass', { tclass_id: PLAN.tclass })).get('result'),
      '-1',
      'a service prices it',
    );
    await core.proc.waitForOutput(/traffic class 10 is used by service \d+/);

    await call('rpcf_add_tclass2', tclassInput(30, 'Bad', [{ sport: 70000, use_sport: 1 }]));
    await core.proc.waitForOutput(/traffic class 30, subclass 1: sport 70000 must be 0\.\.65535/);
    await assert.rejects(call('rpcf_get_tclass', { tclass_id: 30 }), 'refused, so not there');
  });

  test('an IP traffic service reads back its borders, prepaid traffic and parameters', async () => {
    const v = await call('rpcf_get_iptraffic_service', { sid: s.service });
    assert.deepEqual(
      [
        v.get('service_name'),
        v.get('comment'),
        v.get('cost'),
        v.get('discount_method'),
        v.get('null_service_prepaid'),
        v.get('is_dynamic'),
      ],
      ['Traffic tlogin', 'per MB', String(PLAN.fee), '1', '0', '0'],
    );
    assert.deepEqual(
      [v.get('borders_count'), v.get('tclass', [0]), v.get('borders_size_array', [0])],
      ['1', String(PLAN.tclass), '2'],
    );
    assert.deepEqual(
      [
        v.get('border_id', [0, 0]),
        v.get('border_cost', [0, 0]),
        v.get('border_id', [0, 1]),
        v.get('border_cost', [0, 1]),
      ],
      ['0', '2', String(10 * MB), '1'],
    );
    // Prepaid rows follow the border rows in tclass (both loops fill it): row 1 here.
    assert.deepEqual(
      [v.get('prepaid_count'), v.get('tclass', [1]), v.get('prepaid_amount', [1]), v.get('prepaid_max', [1])],
      ['1', String(PLAN.tclass), String(MB), String(5 * MB)],
    );
    assert.deepEqual([v.get('tclass_id2group_size'), v.get('tariff_id'), v.get('parent_id')], ['0', '0', '0']);
  });

  test('traffic groups keep their type in gid (0x40000000 = max) through add, edit and get; a bad gid is refused and named', async () => {
    const base = {
      parent_id: 0,
      tariff_id: 0,
      service_name: 'Grouped',
      comment: '',
      link_by_default: 0,
      is_dynamic: 1,
      cost: 0,
      param1: 0,
      discount_method: 1,
      start_date: T0,
      expire_date: 2000000000,
      null_service_prepaid: 1,
      tclass_b: [PLAN.tclass, 21],
      size_b: [0, 0],
      cost_b: [1.5, 0.5],
      tclass_p: [],
      size_p: [],
      size_max_p: [],
    };
    await call('rpcf_add_iptraffic_service', {
      ...base,
      service_id: 0,
      tcid: [PLAN.tclass, 21],
      gid: [7 | MAX_GROUP, 7 | MAX_GROUP],
    });
    const list = await call('rpcf_get_services_list', { which_service: 3 });
    const id = Number(
      list.get('service_id_array', [
        rows(list.get('services_count')).find((i) => list.get('service_name_array', [i]) === 'Grouped')!,
      ]),
    );
    const v = await call('rpcf_get_iptraffic_service', { sid: id });
    assert.deepEqual(
      [
        v.get('tclass_id2group_size'),
        v.get('tclass_group_id', [0]),
        v.get('tclass_group_id', [1]),
        v.get('border_cost', [1, 0]),
      ],
      ['2', String(7 | MAX_GROUP), String(7 | MAX_GROUP), '0.5'],
    );
    assert.deepEqual([v.get('null_service_prepaid'), v.get('is_dynamic'), v.get('prepaid_count')], ['1', '1', '0']);

    await call('rpcf_add_iptraffic_service', {
      ...base,
      service_id: id,
      service_name: 'Grouped (sum)',
      tcid: [PLAN.tclass, 21],
      gid: [7, 7],
    });
    const sum = await call('rpcf_get_iptraffic_service', { sid: id });
    assert.deepEqual(
      [sum.get('service_name'), sum.get('tclass_group_id', [0]), sum.get('tclass_group_id', [1])],
      ['Grouped (sum)', '7', '7'],
    );

    await call('rpcf_add_iptraffic_service', {
      ...base,
      service_id: id,
      service_name: 'Broken',
      tcid: [PLAN.tclass],
      gid: [0],
    });
    await core.proc.waitForOutput(/group of class 10: gid 0 must be a group number >= 1/);
    assert.equal(
      (await call('rpcf_get_iptraffic_service', { sid: id })).get('service_name'),
      'Grouped (sum)',
      'a refused edit changes nothing',
    );
    await call('rpcf_add_iptraffic_service', {
      ...base,
      service_id: 0,
      service_name: 'Ghost',
      tclass_b: [99],
      size_b: [0],
      cost_b: [1],
      tcid: [],
      gid: [],
    });
    await core.proc.waitForOutput(/no traffic class 99/);
    const after = await call('rpcf_get_services_list', { which_service: 3 });
    assert.ok(
      !rows(after.get('services_count')).some((i) => after.get('service_name_array', [i]) === 'Ghost'),
      'a refused add leaves no service',
    );
  });

  test('an IP traffic link reads back its IP groups (both forms); its quotas are accepted and ignored with a log line', async () => {
    await core.proc.waitForOutput(new RegExp(`service link ${s.slink}: 1 traffic quota\\(s\\) ignored`));
    const l = await call('rpcf_get_iptraffic_service_link_ipv6', { slink_id: s.slink });
    assert.deepEqual(
      [
        l.get('discount_period_id'),
        l.get('start_date'),
        l.get('unprepay'),
        l.get('cost_coef'),
        l.get('ip_groups_count'),
      ],
      [s.period, String(T0), '0', '1', '1'],
    );
    assert.deepEqual(
      [
        l.get('ip_address', [0]),
        l.get('mask', [0]),
        l.get('iptraffic_login', [0]),
        l.get('iptraffic_password', [0]),
        l.get('ip_not_vpn', [0]),
        l.get('dont_use_fw', [0]),
        l.get('dhcp_options_size', [0]),
        l.get('quotas_count'),
      ],
      ['10.1.0.5', '32', 'tlogin', 'secret', '0', '1', '0', '0'],
    );
    const old = await call('rpcf_get_iptraffic_service_link', { slink_id: s.slink });
    assert.deepEqual(
      [old.get('ip_address', [0]), old.get('iptraffic_login', [0]), old.get('discount_period_id')],
      [String((10 << 24) + (1 << 16) + 5), 'tlogin', s.period],
    );
    const all = await call('rpcf_get_all_services_for_user', { account_id: s.account });
    assert.deepEqual(
      [all.get('slink_id_count'), all.get('service_type_array', [0]), all.get('slink_id_array', [0])],
      ['1', '3', String(s.slink)],
    );
    assert.equal(
      (await call('rpcf_get_accountinfo', { account_id: s.account })).get('balance'),
      String(100 - PLAN.fee),
      'the fee at the period start',
    );
  });

  test('the same address cannot go to a second link, and unprepay is kept', async () => {
    const u = await call('rpcf_add_user_new', { login: 'second', password: 'pw', balance: 10 });
    const link = (ip: string, mask = 32) =>
      call('rpcf_add_iptraffic_service_link_ipv6', {
        user_id: u.get('user_id')!,
        account_id: u.get('basic_account')!,
        service_id: s.service,
        tplink_id: 0,
        discount_period_id: s.period,
        start_date: T0,
        policy_id: 0,
        unabon: 0,
        unprepay: 1,
        ip_groups_count: 1,
        id: [0],
        ip: [ip],
        mask: [mask],
        mac: [''],
        login: [''],
        allowed_cid: [''],
        password: [''],
        is_skip_radius: [0],
        is_skip_rfw: [0],
        router_id: [0],
        quotas_count: 0,
      });
    await assert.rejects(link('10.1.0.5'), /unable to link the IP traffic service/);
    await core.proc.waitForOutput(/IP group 10\.1\.0\.5\/32 already belongs to service link/);
    const id = Number((await link('2001:db8::7', 128)).get('slink_id'));
    const l = await call('rpcf_get_iptraffic_service_link_ipv6', { slink_id: id });
    assert.deepEqual([l.get('unprepay'), l.get('ip_address', [0]), l.get('mask', [0])], ['1', '2001:db8::7', '128']);
    assert.equal(
      (await call('rpcf_get_iptraffic_service_link', { slink_id: id })).get('ip_address', [0]),
      '0',
      'an IPv6 group has no integer form',
    );
  });
});
