import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MB, PLAN, setupIpTraffic, tclassInput, type IpTrafficSetup } from './helpers/ip-traffic';
import { urfaSession, type UrfaSession } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC, a Tuesday

let u: UrfaSession;
let s: IpTrafficSetup;
let range = 0;

before(async () => {
  u = await urfaSession(T0);
  s = await setupIpTraffic(u.api, { start: T0, login: 'shaped', ip: '10.1.0.5', balance: 100 });
  // Tuesday 00:00-02:59:59.
  await u.call('rpcf_add_time_range', {
    tr_name: 'small hours',
    priority: 3,
    sec_start: [0],
    sec_stop: [59],
    min_start: [0],
    min_stop: [59],
    hour_start: [0],
    hour_stop: [2],
    wday_start: [2],
    wday_stop: [2],
    internal_id: [],
    mday: [],
    month: [],
  });
  const r = await u.call('rpcf_get_time_ranges');
  range = Number(r.get('range_id', [Number(r.get('size_tr')) - 1]));
});
after(async () => u.close());

/** rpcf_add_shaping / rpcf_edit_shaping inputs; limits are [acc_state, border, range, Kbit/s]. */
function settings(
  o: {
    flags?: number;
    inLimits?: number[][];
    outLimits?: number[][];
    rad?: [number, number, number, string][];
    turbo?: number[][];
  } = {},
) {
  const inL = o.inLimits ?? [
    [0, 0, 0, 2048],
    [0, 5 * MB, 0, 512],
  ];
  const outL = o.outLimits ?? [[0, 0, range, 1024]];
  const rad = o.rad ?? [[14988, 8, 1, 'IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk']];
  const turbo = o.turbo ?? [[0, 4096, 4096, 100 * MB, 50 * MB, 1, 3600, 0]];
  const col = (rows: number[][], i: number) => rows.map((r) => r[i]!);
  return {
    service_id: s.service,
    flags: o.flags ?? 1,
    in_tclass_id_array: [PLAN.tclass],
    in_acc_states_array: col(inL, 0),
    in_borders_array: col(inL, 1),
    in_timeranges_array: col(inL, 2),
    in_limits_array: col(inL, 3),
    out_tclass_id_array: [PLAN.tclass],
    out_acc_states_array: col(outL, 0),
    out_borders_array: col(outL, 1),
    out_timeranges_array: col(outL, 2),
    out_limits_array: col(outL, 3),
    rad_vendor: rad.map((r) => r[0]),
    rad_attr: rad.map((r) => r[1]),
    rad_type: rad.map((r) => r[2]),
    rad_value: rad.map((r) => r[3]),
    turbo_mode_service_id: col(turbo, 0),
    turbo_mode_incoming_rate: col(turbo, 1),
    turbo_mode_outgoing_rate: col(turbo, 2),
    turbo_mode_incoming_limit: col(turbo, 3),
    turbo_mode_outgoing_limit: col(turbo, 4),
    name: col(turbo, 5),
    turbo_mode_duration: col(turbo, 6),
    turbo_mode_acct_period_flag: col(turbo, 7),
  };
}

/** What rpcf_get_shaping answers, in the input's terms. */
async function readBack() {
  const g = await u.call('rpcf_get_shaping', { service_id: s.service });
  if (g.get('result') !== '0') return { result: g.get('result') };
  const list = (name: string, count: string) =>
    Array.from({ length: Number(g.get(count)) }, (_, i) => g.get(name, [i]));
  const limits = (p: string) =>
    list(`${p}_acc_states_array`, `${p}_limits_count`).map((_, i) =>
      [`${p}_acc_states_array`, `${p}_borders_array`, `${p}_timeranges_array`, `${p}_limits_array`].map((n) =>
        Number(g.get(n, [i])),
      ),
    );
  return {
    result: '0',
    flags: Number(g.get('flags')),
    inClasses: list('in_tclass_id_array', 'in_tclass_count').map(Number),
    inLimits: limits('in'),
    outClasses: list('out_tclass_id_array', 'out_tclass_count').map(Number),
    outLimits: limits('out'),
    rad: list('rad_vendor', 'rad_count').map((_, i) => [
      Number(g.get('rad_vendor', [i])),
      Number(g.get('rad_attr', [i])),
      Number(g.get('rad_type', [i])),
      g.get('rad_value', [i]),
    ]),
    turbo: list('name', 'settings_cnt').map((_, i) =>
      [
        'turbo_mode_service_id',
        'turbo_mode_incoming_rate',
        'turbo_mode_outgoing_rate',
        'turbo_mode_incoming_limit',
        'turbo_mode_outgoing_limit',
        'name',
        'turbo_mode_duration',
        'turbo_mode_acct_period_flag',
      ].map((n) => Number(g.get(n, [i]))),
    ),
  };
}

/** The bandwidth in force on the link (get_slink_shaping), once it settles on what is expected. */
async function rates(expected: [string, string], flags = '1'): Promise<void> {
  let got: string[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await u.call('get_slink_shaping', { slink_id: s.slink });
    got = [r.get('result')!, r.get('flags')!, r.get('incoming_rate')!, r.get('outgoing_rate')!];
    if (JSON.stringify(got) === JSON.stringify(['0', flags, ...expected])) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.deepEqual(got, ['0', flags, ...expected]);
}

test('shaping round trip over URFA: add, get, edit, delete; refusals change nothing; the bandwidth follows traffic and time', async () => {
  assert.equal((await u.call('rpcf_get_shaped_services')).get('svc_count'), '0');
  assert.deepEqual(await readBack(), { result: '-1' }, 'no shaping yet');

  assert.equal((await u.call('rpcf_add_shaping', settings())).get('result'), '0');
  const added = {
    result: '0',
    flags: 1,
    inClasses: [PLAN.tclass],
    inLimits: [
      [0, 0, 0, 2048],
      [0, 5 * MB, 0, 512],
    ],
    outClasses: [PLAN.tclass],
    outLimits: [[0, 0, range, 1024]],
    rad: [[14988, 8, 1, 'IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk']],
    turbo: [[0, 4096, 4096, 100 * MB, 50 * MB, 1, 3600, 0]],
  };
  assert.deepEqual(await readBack(), added);
  const shaped = await u.call('rpcf_get_shaped_services');
  assert.deepEqual(
    [shaped.get('svc_count'), shaped.get('service_id_array', [0]), shaped.get('service_name_array', [0])],
    ['1', String(s.service), 'Traffic shaped'],
  );
  assert.equal((await u.call('rpcf_add_shaping', settings())).get('result'), '-1', 'added twice');
  await u.core.proc.waitForOutput(/has shaping already: edit it \(rpcf_edit_shaping\)/);

  // Border 0 applies at once; the outgoing limit while the small hours last.
  await rates(['2048', '1024']);
  await u.call('rpcf_put_unif_iptr', { login: ['shaped'], ipid: [0], tclass: [PLAN.tclass], d_oct: [6 * MB] });
  await rates(['512', '1024']);
  const view = await u.call('rpcf_get_iptraffic_service_link_ipv6', { slink_id: s.slink });
  assert.deepEqual(
    [view.get('bandwidth_in'), view.get('bandwidth_out')],
    ['512', '1024'],
    'the link read back tells its bandwidth too',
  );
  await u.call('utm5ts_advance_time', { seconds: 3 * 3600 + 10 * 60 });
  await rates(['512', '0']);

  const edited = settings({
    flags: 3,
    inLimits: [[1, 0, 0, 4096]],
    outLimits: [],
    rad: [
      [0, 85, 0, 'IN_BANDWIDTH_MBITS'],
      [9, 1, 1, 'rate=IN_CISCO_NORMAL_BURST'],
    ],
    turbo: [],
  });
  assert.equal((await u.call('rpcf_edit_shaping', edited)).get('result'), '0');
  assert.deepEqual(await readBack(), {
    result: '0',
    flags: 3,
    inClasses: [PLAN.tclass],
    inLimits: [[1, 0, 0, 4096]],
    outClasses: [PLAN.tclass],
    outLimits: [],
    rad: [
      [0, 85, 0, 'IN_BANDWIDTH_MBITS'],
      [9, 1, 1, 'rate=IN_CISCO_NORMAL_BURST'],
    ],
    turbo: [],
  });
  await rates(['4096', '0'], '3');

  const refused = async (o: Parameters<typeof settings>[0] & { tclass?: number }, log: RegExp) => {
    const input = { ...settings(o), ...(o.tclass ? { in_tclass_id_array: [o.tclass] } : {}) };
    assert.equal((await u.call('rpcf_edit_shaping', input)).get('result'), '-1', String(log));
    await u.core.proc.waitForOutput(log);
  };
  await refused({ tclass: 99 }, /shaping of service \d+, incoming: no traffic class 99/);
  await refused({ outLimits: [[0, 0, 77, 64]] }, /outgoing limit 1: no time range 77 \(0: at any time\)/);
  await refused({ inLimits: [[0, 0, 0, 0]] }, /incoming limit 1: bandwidth 0 must be 1\.\.4194303 Kbit\/s/);
  await refused(
    { inLimits: [[5, 0, 0, 10]] },
    /incoming limit 1: account state 5 must be 0 any, 1 not blocked or 2 blocked/,
  );
  await refused({ flags: 4 }, /flags 4: only 1 \(VPN IP groups\) and 2 \(non-VPN IP groups\) are known/);
  await refused({ rad: [[0, 85, 0, 'fast']] }, /RADIUS attribute 1: 'fast' is sent as an integer \(rad_type 0\)/);
  assert.equal((await u.call('rpcf_edit_shaping', { ...edited, service_id: 999 })).get('result'), '-1');
  await u.core.proc.waitForOutput(/shaping of service 999: no service 999/);
  assert.equal((await readBack()).flags, 3, 'the refusals left the settings alone');

  // A class the shaping counts (and no service prices) cannot be removed from under it.
  await u.call('rpcf_add_tclass2', tclassInput(77, 'Shaped only', [{}]));
  assert.equal((await u.call('rpcf_edit_shaping', { ...edited, in_tclass_id_array: [77] })).get('result'), '0');
  assert.equal((await u.call('rpcf_remove_tclass', { tclass_id: 77 })).get('result'), '-1');
  await u.core.proc.waitForOutput(/traffic class 77 is used by service \d+/);

  assert.equal(
    (await u.call('rpcf_delete_shaping', { service_id: s.service, delete_turbo_mode_settings: 1 })).get('result'),
    '0',
  );
  assert.deepEqual(await readBack(), { result: '-1' });
  assert.equal((await u.call('rpcf_get_shaped_services')).get('svc_count'), '0');
  await rates(['0', '0'], '0');
  assert.equal(
    (await u.call('rpcf_delete_shaping', { service_id: s.service, delete_turbo_mode_settings: 1 })).get('result'),
    '-1',
    'gone already',
  );
  const none = await u.call('get_slink_shaping', { slink_id: 99999 });
  assert.deepEqual([none.get('result'), none.get('flags')], ['-1', '0']);
});
