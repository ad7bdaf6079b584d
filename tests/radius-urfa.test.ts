import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { UrfaApi } from '@utm5/urfaclient';
import type { SessionEventWire } from '@utm5/protocol';
import type { CoreInstance } from './helpers/core-instance';
import { testDaemon } from './helpers/stream-daemon';
import { urfaclient, urfaSession, value, type UrfaSession } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const ST_SLINK = 10000;
const ip4 = (s: string) => s.split('.').reduce((n, x) => n * 256 + Number(x), 0) | 0;

describe('RADIUS over URFA', () => {
  let session: UrfaSession;
  let core: CoreInstance;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => session.call(name, inputs);
  const rows = (n: string | undefined) => Array.from({ length: Number(n) }, (_, i) => i);
  /** Ids filled in as the tests go (they run in order). */
  const ids = { day: 0, night: 0, dialup: 0, hotspot: 0, period: '', user: '', account: '', slink: 0, hotSlink: 0 };

  before(async () => {
    session = await urfaSession(T0);
    core = session.core;
  });
  after(() => session.close());

  test('a NAS is added with its attributes, read back exactly, listed, edited and removed; refusals say why', async () => {
    const nas = {
      nas_id: '10.0.0.1',
      auth_secret: 'long-shared-secret',
      acct_secret: 'long-shared-secret',
      dac_secret: 'coa-secret',
      das_port: 1700,
      flags: 1,
      isg_profile: 0,
      variable: ['0:27', '9:1:0:1', '0:64:3'],
      value: ['3600', 'ip:addr-pool=main', '3'],
    };
    const id = Number((await call('rpcf_put_nas', { mode: 0, id: 0, ...nas })).get('result'));
    assert.ok(id > 0, 'the new NAS id');
    const n = await call('rpcf_get_nas', { id });
    assert.deepEqual(
      [
        n.get('nas_id'),
        n.get('auth_secret'),
        n.get('acct_secret'),
        n.get('dac_secret'),
        n.get('das_port'),
        n.get('flags'),
        n.get('isg_profile'),
      ],
      ['10.0.0.1', 'long-shared-secret', 'long-shared-secret', 'coa-secret', '1700', '1', '0'],
    );
    assert.deepEqual(
      rows(n.get('parameters_size')).map((i) => `${n.get('variable', [i])}=${n.get('value', [i])}`),
      ['0:27=3600', '9:1:0:1=ip:addr-pool=main', '0:64:3=3'],
      'attributes in order; trailing zero tag/action left out',
    );

    await call('rpcf_put_nas', {
      mode: 0,
      id: 0,
      ...nas,
      nas_id: '10.0.0.2',
      acct_secret: '',
      dac_secret: '',
      das_port: 0,
      flags: 0,
      variable: [],
      value: [],
    });
    const list = await call('rpcf_get_nas_list');
    assert.deepEqual(
      rows(list.get('nas_size')).map((i) => [
        list.get('nas_id', [i]),
        list.get('acct_secret', [i]),
        list.get('dac_secret', [i]),
        list.get('das_port', [i]),
        list.get('flags', [i]),
      ]),
      [
        ['10.0.0.1', 'long-shared-secret', 'coa-secret', '1700', '1'],
        ['10.0.0.2', 'long-shared-secret', '', '3799', '0'],
      ],
      'an empty acct_secret reads back as the NAS secret; das_port 0 is 3799',
    );
    const second = Number(list.get('id', [1]));

    assert.equal(
      (
        await call('rpcf_put_nas', {
          mode: 1,
          id,
          ...nas,
          das_port: 3799,
          flags: 0,
          variable: ['0:25:0:2'],
          value: ['x'],
        })
      ).get('result'),
      String(id),
    );
    const edited = await call('rpcf_get_nas', { id });
    assert.deepEqual(
      [edited.get('das_port'), edited.get('flags'), edited.get('parameters_size'), edited.get('variable', [0])],
      ['3799', '0', '1', '0:25:0:2'],
    );

    const refused = async (over: Record<string, string | number | string[]>, log: RegExp) => {
      assert.equal(
        (await call('rpcf_put_nas', { mode: 0, id: 0, ...nas, nas_id: '10.0.0.9', ...over })).get('result'),
        '-1',
      );
      await core.proc.waitForOutput(log);
    };
    await refused({ acct_secret: 'other' }, /acct_secret differs from auth_secret/);
    await refused({ nas_id: '10.0.0.2' }, /a NAS with address 10\.0\.0\.2 is registered/);
    await refused({ variable: ['27'], value: ['1'] }, /variable '27' must be vendor:attr/);
    await refused({ flags: 4 }, /flags 4: only 1 \(CoA\) is known/);
    assert.equal((await call('rpcf_get_nas_list')).get('nas_size'), '2', 'refusals add nothing');

    await call('rpcf_del_nas', { id: second });
    await assert.rejects(call('rpcf_get_nas', { id: second }), 'removed');
    assert.equal((await call('rpcf_get_nas_list')).get('nas_size'), '1');
  });

  test('a dial-up service keeps its day and night prices per hour, pool and session limit; refusals leave no service', async () => {
    const entry = (from: number, to: number) => ({
      sec_start: [0],
      sec_stop: [59],
      min_start: [0],
      min_stop: [59],
      hour_start: [from],
      hour_stop: [to],
      wday_start: [0],
      wday_stop: [6],
    });
    await call('rpcf_add_time_range', {
      tr_name: 'day',
      priority: 2,
      ...entry(8, 19),
      internal_id: [],
      mday: [],
      month: [],
    });
    await call('rpcf_add_time_range', {
      tr_name: 'night',
      priority: 1,
      ...entry(0, 23),
      internal_id: [],
      mday: [],
      month: [],
    });
    const ranges = await call('rpcf_get_time_ranges');
    const range = (name: string) =>
      Number(ranges.get('range_id', [rows(ranges.get('size_tr')).find((i) => ranges.get('tr_name', [i]) === name)!]));
    ids.day = range('day');
    ids.night = range('night');

    const base = {
      parent_id: 0,
      tariff_id: 0,
      service_id: 0,
      service_name: 'Dial-up',
      comment: 'modem pool',
      link_by_default: 0,
      is_dynamic: 0,
      contract_type: 0,
      discount_method: 1,
      cost: 5,
      start_date: T0,
      expire_date: 2000000000,
      pool_name: 'dialup',
      max_timeout: 0,
      null_service_prepaid: 0,
      radius_sessions_limit: 2,
      login_prefix: '',
      range_cost: [2, 0.5],
      range_id: [ids.day, ids.night],
    };
    ids.dialup = Number((await call('rpcf_add_dialup_service', base)).get('result'));
    assert.ok(ids.dialup > 0, 'result is the new service id');
    const v = await call('rpcf_get_dialup_service', { sid: ids.dialup });
    assert.deepEqual(
      [
        v.get('service_name'),
        v.get('comment'),
        v.get('cost'),
        v.get('discount_method'),
        v.get('start_date'),
        v.get('pool_name'),
        v.get('radius_sessions_limit'),
        v.get('is_dynamic'),
        v.get('is_parent_id'),
        v.get('tariff_id'),
        v.get('parent_id'),
      ],
      ['Dial-up', 'modem pool', '5', '1', String(T0), 'dialup', '2', '0', '0', '0', '0'],
    );
    assert.deepEqual(
      rows(v.get('cost_size')).map((i) => [v.get('tr_time', [i]), v.get('param', [i]), v.get('id', [i])]),
      [
        ['day', '2', String(ids.day)],
        ['night', '0.5', String(ids.night)],
      ],
    );

    const edited = await call('rpcf_edit_dialup_service_ex', {
      service_id: ids.dialup,
      parent_id: 0,
      tariff_id: 0,
      service_name: 'Dial-up 56k',
      comment: 'modem pool',
      link_by_default: 0,
      is_dynamic: 1,
      contract_type: 7,
      discount_method: 1,
      cost: 5,
      pool_name: 'dialup',
      max_timeout: 86400,
      radius_sessions_limit: 1,
      login_prefix: 'DL-',
      range_cost: [2.5, 0.5],
      range_id: [ids.day, ids.night],
    });
    assert.equal(edited.get('service_id'), String(ids.dialup));
    const ex = await call('rpcf_get_dialup_service_ex', { sid: ids.dialup });
    assert.deepEqual(
      [
        ex.get('service_name'),
        ex.get('contract_type'),
        ex.get('is_dynamic'),
        ex.get('radius_sessions_limit'),
        ex.get('param', [0]),
        ex.get('max_timeout'),
        ex.get('login_prefix'),
      ],
      ['Dial-up 56k', '7', '1', '1', '2.5', '86400', 'dl-'],
    );
    assert.equal(
      (await call('rpcf_get_dialup_service', { sid: ids.dialup })).get('start_date'),
      String(T0),
      'an _ex edit keeps the dates',
    );

    assert.equal(
      (await call('rpcf_add_dialup_service', { ...base, service_name: 'No prices', range_cost: [], range_id: [] })).get(
        'result',
      ),
      '-1',
    );
    await core.proc.waitForOutput(/dial-up service 'No prices': needs at least one price per hour/);
    assert.equal(
      (await call('rpcf_add_dialup_service', { ...base, service_name: 'Ghost', range_cost: [1], range_id: [999] })).get(
        'result',
      ),
      '-1',
    );
    await core.proc.waitForOutput(/service \d+: no time range 999/);
    const list = await call('rpcf_get_services_list', { which_service: 5 });
    assert.deepEqual(
      rows(list.get('services_count')).map((i) => list.get('service_name_array', [i])),
      ['Dial-up 56k'],
      'a refused add leaves no service',
    );
  });

  test('a hotspot service keeps its price per hour, session limit and allowed networks', async () => {
    const sid = Number(
      (
        await call('rpcf_add_hotspot_service', {
          fictive: 0,
          tariff_id: 0,
          service_id: 0,
          service_name: 'Wi-Fi',
          comment: 'cafe',
          link_by_default: 0,
          is_dynamic: 0,
          contract_type: 0,
          param1: 0,
          discount_method: 2,
          cost: 1,
          start_date: T0,
          expire_date: 2000000000,
          null_service_prepaid: 0,
          radius_sessions_limit: 3,
          recv_cost: 0,
          rate_limit: '',
          ip: ['192.168.7.99', '10.9.0.0'],
          value1: [24, ip4('255.255.0.0')],
          cost_p: [1.5],
          id_p: [ids.night],
        })
      ).get('sid'),
    );
    assert.ok(sid > 0);
    ids.hotspot = sid;
    const v = await call('rpcf_get_hotspot_service', { sid });
    assert.deepEqual(
      [
        v.get('service_name'),
        v.get('comment'),
        v.get('cost'),
        v.get('discount_method'),
        v.get('radius_sessions_limit'),
        v.get('cost_size'),
        v.get('tr_time', [0]),
        v.get('param1', [0]),
        v.get('param2', [0]),
        v.get('hsd_allowed_net_size'),
        v.get('parent_id'),
      ],
      ['Wi-Fi', 'cafe', '1', '2', '3', '1', 'night', '1.5', String(ids.night), '2', '0'],
    );
    const nets = (r: Awaited<ReturnType<typeof call>>, ip: string, mask: string, size: string) =>
      rows(r.get(size)).map((i) => `${r.get(ip, [i])}/${r.get(mask, [i])}`);
    assert.deepEqual(
      nets(v, 'allowed_net_id', 'allowed_net_value', 'hsd_allowed_net_size'),
      [`${ip4('10.9.0.0')}/16`, `${ip4('192.168.7.0')}/24`],
      'host bits cleared, a netmask read as its prefix length',
    );
    assert.equal(
      (await call('rpcf_set_hotspot_networks', { service_id: sid, ip: [ip4('172.16.5.0')], mask: [28] })).get('result'),
      '0',
    );
    assert.deepEqual(nets(await call('rpcf_get_hotspot_networks', { service_id: sid }), 'ip', 'mask', 'cnt'), [
      `${ip4('172.16.5.0')}/28`,
    ]);
    assert.equal(
      (await call('rpcf_set_hotspot_networks', { service_id: sid, ip: [1], mask: [ip4('255.0.255.0')] })).get('result'),
      '-1',
    );
    await core.proc.waitForOutput(/allowed network 1: mask -16711936 is neither a prefix length nor a netmask/);
    assert.equal(
      (await call('rpcf_get_hotspot_networks', { service_id: sid })).get('cnt'),
      '1',
      'a refusal changes nothing',
    );
    await assert.rejects(call('rpcf_get_dialup_service', { sid }), 'a hotspot service is not a dial-up service');
  });

  test('dial-up and hotspot links keep their logins and passwords; the fee is charged; a login is not given twice', async () => {
    ids.period = (await call('rpcf_add_discount_period_return', { start_date: T0, periodic_type: 3 })).get(
      'discount_period_id',
    )!;
    const u = await call('rpcf_add_user_new', {
      login: 'dialer-user',
      password: 'pw',
      full_name: 'Dialer D.',
      balance: 100,
    });
    ids.user = u.get('user_id')!;
    ids.account = u.get('basic_account')!;
    const link = {
      user_id: ids.user,
      account_id: ids.account,
      service_id: ids.dialup,
      discount_period_id: ids.period,
      start_date: T0,
      policy_id: 0,
      dialup_login: 'modem1',
      dialup_password: 'dial-pass',
      dialup_allowed_cid: '^555',
      dialup_allowed_csid: '',
      callback_enabled: 1,
    };
    ids.slink = Number((await call('rpcf_add_dialup_service_link_ex', link)).get('slink_id'));
    assert.ok(ids.slink > 0);
    const l = await call('rpcf_get_dialup_service_link', { slink_id: ids.slink });
    assert.deepEqual(
      [
        l.get('discount_period_id'),
        l.get('start_date'),
        l.get('cost_coef'),
        l.get('login'),
        l.get('password'),
        l.get('allowed_cid'),
        l.get('allowed_csid'),
        l.get('callback_enabled'),
        l.get('is_blocked'),
        l.get('is_unabon_period'),
      ],
      [ids.period, String(T0), '1', 'dl-modem1', 'dial-pass', '^555', '', '1', '0', '0'],
      "the service's login prefix goes first",
    );
    assert.equal(
      (await call('rpcf_get_accountinfo', { account_id: ids.account })).get('balance'),
      '95',
      'the fee at the period start',
    );
    const all = await call('rpcf_get_all_services_for_user', { account_id: ids.account });
    assert.deepEqual([all.get('slink_id_count'), all.get('service_type_array', [0])], ['1', '5']);

    const u2 = await call('rpcf_add_user_new', { login: 'second', password: 'pw', balance: 10 });
    const again = {
      ...link,
      user_id: u2.get('user_id')!,
      account_id: u2.get('basic_account')!,
      dialup_login: 'MODEM1',
    };
    assert.equal((await call('rpcf_add_dialup_service_link_ex', again)).get('slink_id'), '0');
    await core.proc.waitForOutput(new RegExp(`login 'dl-modem1' already belongs to service link ${ids.slink}`));
    assert.equal(
      (await call('rpcf_get_all_services_for_user', { account_id: u2.get('basic_account')! })).get('slink_id_count'),
      '0',
      'no link left',
    );
    assert.equal(
      (await call('rpcf_add_dialup_service_link_ex', { ...again, dialup_login: 'other', service_id: ids.hotspot })).get(
        'slink_id',
      ),
      '0',
    );
    await core.proc.waitForOutput(/service \d+ is not a dial-up service/);

    const dyn2 = Number(
      (
        await call('rpcf_add_dialup_service_ex', {
          parent_id: 0,
          tariff_id: 0,
          service_name: 'Dial-up dyn',
          comment: '',
          link_by_default: 0,
          is_dynamic: 1,
          contract_type: 0,
          discount_method: 1,
          cost: 0,
          pool_name: '',
          max_timeout: 0,
          radius_sessions_limit: 0,
          login_prefix: '',
          range_cost: [1],
          range_id: [ids.day],
        })
      ).get('service_id'),
    );
    assert.equal(
      (await call('rpcf_add_dialup_service_link_ex', { ...link, service_id: dyn2, dialup_login: 'modem2' })).get(
        'slink_id',
      ),
      '0',
    );
    await core.proc.waitForOutput(
      new RegExp(
        `account ${ids.account} already has link ${ids.slink} of a dial-up/hotspot service with dynamic IP addresses`,
      ),
    );

    ids.hotSlink = Number(
      (
        await call('rpcf_add_hotspot_slink_ex', {
          user_id: ids.user,
          account_id: ids.account,
          service_id: ids.hotspot,
          discount_period_id: ids.period,
          start_date: T0,
          policy_id: 0,
          hotspot_login: 'hot1',
          hotspot_password: 'hot-pass',
        })
      ).get('slink_id'),
    );
    const h = await call('rpcf_get_hotspot_service_link', { slink_id: ids.hotSlink });
    assert.deepEqual(
      [h.get('login'), h.get('password'), h.get('discount_period_id')],
      ['hot1', 'hot-pass', ids.period],
    );
    await assert.rejects(
      call('rpcf_get_dialup_service_link', { slink_id: ids.hotSlink }),
      'a hotspot link is not a dial-up link',
    );
  });

  test('RADIUS attributes of a service and of a link read back as text with their action', async () => {
    await call('rpcf_set_radius_attr', {
      sid: ids.dialup,
      st: 5,
      vendor: [0, 0],
      attr: [27, 8],
      tag: [0, 0],
      usage_flags: [1, 0],
      expire_date: [2000000000, 2000000000],
      param1: [0, 2],
      val: [7200, ip4('10.0.0.9')],
      prop_size: [0, 0],
    });
    await call('rpcf_set_radius_attr', {
      sid: ids.slink,
      st: ST_SLINK,
      vendor: [14988],
      attr: [8],
      tag: [2],
      usage_flags: [2],
      expire_date: [2000000000],
      param1: [1],
      val: ['1M/2M'],
      prop_size: [0],
    });
    const s = await call('rpcf_get_radius_attr', { sid: ids.dialup, st: 5 });
    assert.deepEqual(
      rows(s.get('radius_data_size')).map((i) =>
        ['vendor', 'attr', 'tag', 'usage_flags', 'param1', 'val'].map((k) => s.get(k, [i])),
      ),
      [
        ['0', '27', '0', '1', '1', '7200'],
        ['0', '8', '0', '0', '1', '10.0.0.9'],
      ],
    );
    const l = await call('rpcf_get_radius_attr', { sid: ids.slink, st: ST_SLINK });
    assert.deepEqual(
      ['radius_data_size', 'vendor', 'attr', 'tag', 'usage_flags', 'val', 'prop_size'].map((k) => l.get(k, [0])),
      ['1', '14988', '8', '2', '2', '1M/2M', '0'],
    );

    await call('rpcf_set_radius_attr', {
      sid: ids.slink,
      st: ST_SLINK,
      vendor: [0],
      attr: [11],
      tag: [0],
      usage_flags: [0],
      expire_date: [2000000000],
      param1: [3],
      val: ['00ff'],
      prop_size: [0],
    });
    await core.proc.waitForOutput(
      /attribute 1: param1 3: send the value as 0 an integer, 1 a string or 2 an IPv4 address/,
    );
    await call('rpcf_set_radius_attr', {
      sid: 99999,
      st: ST_SLINK,
      vendor: [],
      attr: [],
      tag: [],
      usage_flags: [],
      param1: [],
      val: [],
      prop_size: [],
    });
    await core.proc.waitForOutput(/no service link 99999/);
    assert.equal(
      (await call('rpcf_get_radius_attr', { sid: ids.slink, st: ST_SLINK })).get('val', [0]),
      '1M/2M',
      'refusals change nothing',
    );
  });

  test('capacity limits per dealer, user, account and service read back in order; 0 removes one', async () => {
    const set = async (level: string, ref: number | string, max: number) =>
      (await call('utm5ts_set_session_limit', { level, ref_id: ref, max_sessions: max })).get('result');
    assert.equal(await set('service', ids.dialup, 10), '0');
    assert.equal(await set('account', ids.account, 1), '0');
    assert.equal(await set('user', ids.user, 3), '0');
    assert.equal(await set('dealer', 7, 50), '0');
    assert.equal(await set('dealer', 8, 5), '0');
    assert.equal(await set('dealer', 8, 0), '0');
    assert.equal(await set('house', 1, 1), '-1');
    await core.proc.waitForOutput(/level 'house' must be dealer, user, account, service/);
    const ls = await call('utm5ts_get_session_limits');
    assert.deepEqual(
      rows(ls.get('limits_count')).map(
        (i) => `${ls.get('level', [i])} ${ls.get('ref_id', [i])} ${ls.get('max_sessions', [i])}`,
      ),
      ['dealer 7 50', `user ${ids.user} 3`, `account ${ids.account} 1`, `service ${ids.dialup} 10`],
    );
  });

  test('open sessions reported by utm5_radius are listed; stopped ones are not', async () => {
    const d = testDaemon(core.streamPort, { sender: 'radius-urfa-test' });
    try {
      await d.client.ready();
      const ev = (op: SessionEventWire['op'], sid: string, o: Partial<SessionEventWire> = {}): SessionEventWire => ({
        op,
        nas: '10.0.0.1',
        sid,
        login: 'modem1',
        slinkId: ids.slink,
        accountId: Number(ids.account),
        serviceType: 5,
        framedIp: '10.5.0.7',
        calling: '5551234',
        called: '100',
        time: T0 + 60,
        duration: 0,
        inOctets: 0,
        outOctets: 0,
        cause: '',
        ...o,
      });
      await d.client.send('radius_session', [
        ev('start', 'a-1'),
        ev('start', 'b-2', { framedIp: '2001:db8::7', time: T0 + 120 }),
        ev('stop', 'b-2', { time: T0 + 180, cause: 'User-Request' }),
        ev('start', 'c-3', {
          login: 'hot1',
          slinkId: ids.hotSlink,
          serviceType: 4,
          framedIp: '2001:db8::9',
          time: T0 + 240,
        }),
      ]);
    } finally {
      await d.client.stop();
    }
    const s = await call('rpcf_radius_get_active_sessions');
    assert.equal(s.get('tel_sessions_count'), '0');
    assert.deepEqual(
      rows(s.get('traffic_sessions_count')).map((i) =>
        [
          'traf_acct_session_id',
          'traf_user_name',
          'traf_nas_ip',
          'traf_recv_date',
          'framed_ip4',
          'framed_ip6',
          'traffic_called_station_id',
          'traffic_calling_station_id',
        ].map((k) => s.get(k, [i])),
      ),
      [
        ['a-1', 'modem1', '10.0.0.1', String(T0 + 60), '10.5.0.7', '::', '100', '5551234'],
        ['c-3', 'hot1', '10.0.0.1', String(T0 + 240), '0.0.0.0', '2001:db8::9', '100', '5551234'],
      ],
    );
    assert.ok(Number(s.get('traf_id', [0])) > 0 && Number(s.get('traf_last_update_date', [0])) > 0);
  });

  test("the sessions report (rpcf_get_dhs_report) lists an account's sessions of a time span with NAS port, packets, octets, time and cost", async () => {
    const d = testDaemon(core.streamPort, { sender: 'radius-urfa-report' });
    try {
      await d.client.ready();
      const base = {
        nas: '10.0.0.1',
        login: 'modem1',
        slinkId: ids.slink,
        accountId: Number(ids.account),
        serviceType: 5,
        framedIp: '10.5.0.8',
        calling: '5550000',
        called: '200',
        cause: '',
        nasPort: 17,
        nasPortType: 0,
        nasId: 'pop-1',
      };
      await d.client.send('radius_session', [
        { ...base, op: 'start', sid: 'r-1', time: T0 + 3600, duration: 0, inOctets: 0, outOctets: 0 },
        {
          ...base,
          op: 'stop',
          sid: 'r-1',
          time: T0 + 7200,
          duration: 3600,
          inOctets: 5 * 2 ** 32 + 7,
          outOctets: 900,
          inPackets: 40,
          outPackets: 30,
          cause: '1',
        },
      ] satisfies SessionEventWire[]);
    } finally {
      await d.client.stop();
    }
    const r = await call('rpcf_get_dhs_report', {
      user_id: 0,
      account_id: Number(ids.account),
      apid: 0,
      t_start: T0 + 3000,
      t_end: T0 + 4000,
    });
    assert.equal(r.get('dhs_log_size'), '1', 'only the session started in the span');
    assert.deepEqual(
      [
        'acct_session_id',
        'uname',
        'slink_id',
        'recv_date',
        'nas_port',
        'nas_id',
        'nas_ip',
        'acct_status_type',
        'acct_inp_pack',
        'acct_inp_oct',
        'acct_inp_giga',
        'acct_out_oct',
        'acct_sess_time',
        'acct_term_cause',
        'service_type',
        'framed_ip4',
        'is_active',
      ].map((k) => r.get(k, [0])),
      [
        'r-1',
        'modem1',
        String(ids.slink),
        String(T0 + 3600),
        '17',
        'pop-1',
        String(ip4('10.0.0.1')),
        '2',
        '40',
        '7',
        '5',
        '900',
        '3600',
        '1',
        '5',
        '10.5.0.8',
        '0',
      ],
    );
    // The hour was charged at the day price in force (2.5 per hour from 08:00): the report shows it.
    assert.ok(Number(r.get('total_cost', [0])) > 0, `total_cost ${r.get('total_cost', [0])}`);
  });

  test('utm5_urfaclient action scripts read the NAS, the dial-up service and set a limit', async () => {
    const run = async (action: string, params: Record<string, string | number> = {}) => {
      const r = await urfaclient(core, [
        '-a',
        action,
        ...Object.entries(params).flatMap(([k, v]) => [`-${k}`, String(v)]),
      ]);
      assert.equal(r.code, 0, `${action}: ${r.stderr}`);
      return r.stdout;
    };
    assert.equal(value(await run('get_nas_list'), 'nas_id'), '10.0.0.1');
    assert.equal(value(await run('get_dialup_service', { sid: ids.dialup }), 'pool_name'), 'dialup');
    assert.equal(value(await run('get_dialup_service_link', { slink_id: ids.slink }), 'login'), 'dl-modem1');
    assert.equal(value(await run('set_session_limit', { level: 'dealer', ref_id: 9, max_sessions: 4 }), 'result'), '0');
    assert.match(await run('get_session_limits'), /name="ref_id" index="\d+" value="9"/);
  });
  test('IP pools are added, listed in id order, read, edited and removed; an overlap or a bad mask is refused and changes nothing', async () => {
    await call('rpcf_add_ippool', { id: 0, name: 'dial', address: ip4('10.200.0.0'), mask: 24 });
    await call('rpcf_add_ippool', { id: 0, name: 'dial', address: ip4('10.201.0.77'), mask: 24 }); // host bits cleared
    await call('rpcf_add_ippool', { id: 0, name: 'clash', address: ip4('10.200.0.128'), mask: 25 });
    await call('rpcf_add_ippool', { id: 0, name: 'wide', address: ip4('10.0.0.0'), mask: 4 });
    const list = async () => {
      const l = await call('rpcf_get_ippools_list');
      return rows(l.get('size')).map(
        (i) => `${l.get('id', [i])}:${l.get('name', [i])}:${l.get('address', [i])}/${l.get('mask', [i])}`,
      );
    };
    const [first, second] = (await list()).map((x) => Number(x.split(':')[0]));
    assert.deepEqual(await list(), [`${first}:dial:10.200.0.0/24`, `${second}:dial:10.201.0.0/24`]);
    const g = await call('rpcf_get_ippool', { id: second });
    assert.deepEqual([g.get('name'), g.get('address'), g.get('mask')], ['dial', '10.201.0.0', '24']);
    await call('rpcf_edit_ippool', { id: second, name: 'guest', address: '10.202.0.0', mask: 30 });
    await call('rpcf_edit_ippool', { id: first, name: 'dial', address: '10.202.0.0', mask: 24 }); // overlaps the edited one
    assert.deepEqual(await list(), [`${first}:dial:10.200.0.0/24`, `${second}:guest:10.202.0.0/30`]);
    await call('rpcf_del_ippool', { id: first, name: '', address: '0.0.0.0', mask: 0 });
    assert.deepEqual(await list(), [`${second}:guest:10.202.0.0/30`]);
  });
});
