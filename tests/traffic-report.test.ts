import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { VarStore } from '@utm5/protocol';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { MB, PLAN, setupIpTraffic, tclassInput, type IpTrafficSetup } from './helpers/ip-traffic';
import { ROOT } from './helpers/paths';
import { urfaclient, value } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC = 05:30 in Asia/Kolkata, the billing zone here
const HOUR = 3600;
const DAY = 86400;
// Kolkata is 5:30 ahead of UTC all year: its hours start at UTC :30, its days at 18:30 UTC the day before.
const IST = 19800;
const API = join(ROOT, 'xml', 'api.xml');
const LOCAL = 20; // a second class, not priced by the service: its traffic costs 0
const FOREIGN_IP = '192.168.1.7';
const FOREIGN_INT = 3232235783; // 192.168.1.7 as an unsigned integer
const OWN_INT = 167837701; // 10.1.0.5

/**
 * When the traffic comes (the test clock is advanced to each moment) and what, per IP group login:
 * [login, bytes, class, ipid address ('' = the IP group's own)].
 */
const PUSHES: readonly (readonly [at: number, entries: readonly (readonly [string, number, number, string])[]])[] = [
  [
    T0 + 600,
    [
      ['tlogin', 2 * MB, PLAN.tclass, ''],
      ['tlogin', MB, LOCAL, FOREIGN_IP],
      ['ologin', 3 * MB, PLAN.tclass, ''],
    ],
  ], // 05:40 IST
  [
    T0 + 2400,
    [
      ['tlogin', MB, PLAN.tclass, FOREIGN_IP],
      ['v6login', 2 * MB, PLAN.tclass, ''],
    ],
  ], // 06:10 IST: the same UTC hour, not the same IST one
  [T0 + 20 * HOUR, [['tlogin', MB, PLAN.tclass, '']]], // 20:00 UTC: April 2 in IST
  [T0 + 30 * DAY - 3 * HOUR, [['tlogin', MB, LOCAL, '']]], // April 30 21:00 UTC: May 1 in IST
];

const ipInt = (ip: string): number => ip.split('.').reduce((n, x) => n * 256 + Number(x), 0);

/** A report's rows as "account login [add_param] tclass base_cost bytes discount". */
function reportRows(r: VarStore, type: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < Number(r.get('users_count')); i++) {
    for (let j = 0; j < Number(r.get('atr_size_array', [i])); j++) {
      const names = [
        'account_id',
        'login',
        ...(type !== 0 ? ['add_param'] : []),
        'tclass',
        'base_cost',
        'bytes',
        'discount',
      ];
      out.push(names.map((n) => r.get(n, [i, j])).join(' '));
    }
  }
  return out;
}

describe('IP traffic reports over URFA', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  let t: IpTrafficSetup;
  let o: IpTrafficSetup;
  let v6: IpTrafficSetup;
  const report = async (type: number, filter: Record<string, string | number> = {}) =>
    reportRows(
      await api.call('rpcf_traffic_report_ex', { type, time_start: T0, time_end: T0 + 31 * DAY, ...filter }),
      type,
    );

  before(async () => {
    core = await createCore({ config: { test_clock: 'enable', timezone: 'Asia/Kolkata' } });
    api = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
      timeoutMs: 120_000,
    });
    await api.call('utm5ts_set_time', { time: T0 });
    t = await setupIpTraffic(api, { start: T0, login: 'tlogin', ip: '10.1.0.5', balance: 100 });
    o = await setupIpTraffic(api, { start: T0, login: 'ologin', ip: '10.2.0.9', balance: 100 });
    v6 = await setupIpTraffic(api, { start: T0, login: 'v6login', ip: '2001:db8::', balance: 100 });
    await api.call('rpcf_add_tclass2', tclassInput(LOCAL, 'Local', [{ saddr: '192.168.0.0', saddr_mask: 16 }]));
    let now = T0;
    for (const [at, entries] of PUSHES) {
      await api.call('utm5ts_advance_time', { seconds: at - now });
      now = at;
      await api.call('rpcf_put_unif_iptr', {
        login: entries.map((e) => e[0]),
        d_oct: entries.map((e) => e[1]),
        tclass: entries.map((e) => e[2]),
        ipid: entries.map((e) => (e[3] ? ipInt(e[3]) : 0)),
      });
    }
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  // Class 10 costs 2 per MB after 1 MB prepaid per link: tlogin 2 MB -> 2, then 1 MB -> 2 twice; ologin 3 MB -> 4; v6login 2 MB -> 2.
  test('type 0: totals per account and class, with bytes_in_kbyte; base_cost and discount are the accrued cost', async () => {
    const r = await api.call('rpcf_traffic_report_ex', { type: 0, time_start: T0, time_end: T0 + 31 * DAY });
    assert.equal(r.get('bytes_in_kbyte'), '1024');
    assert.deepEqual(reportRows(r, 0), [
      `${t.account} tlogin-user ${PLAN.tclass} 6 ${4 * MB} 6`,
      `${t.account} tlogin-user ${LOCAL} 0 ${2 * MB} 0`,
      `${o.account} ologin-user ${PLAN.tclass} 4 ${3 * MB} 4`,
      `${v6.account} v6login-user ${PLAN.tclass} 2 ${2 * MB} 2`,
    ]);
  });

  test('type 1: by hour of the billing zone (IST hours start at UTC :30); the window cuts stored intervals, not hours', async () => {
    assert.deepEqual(await report(1, { account_id: t.account, time_end: T0 + 3 * HOUR }), [
      `${t.account} tlogin-user ${T0 - 1800} ${PLAN.tclass} 2 ${2 * MB} 2`,
      `${t.account} tlogin-user ${T0 - 1800} ${LOCAL} 0 ${MB} 0`,
      `${t.account} tlogin-user ${T0 + 1800} ${PLAN.tclass} 2 ${MB} 2`,
    ]);
  });

  test('type 2: by day of the billing zone, filtered by user', async () => {
    assert.deepEqual(await report(2, { user_id: t.userId }), [
      `${t.account} tlogin-user ${T0 - IST} ${PLAN.tclass} 4 ${3 * MB} 4`,
      `${t.account} tlogin-user ${T0 - IST} ${LOCAL} 0 ${MB} 0`,
      `${t.account} tlogin-user ${T0 + DAY - IST} ${PLAN.tclass} 2 ${MB} 2`,
      `${t.account} tlogin-user ${T0 + 30 * DAY - IST} ${LOCAL} 0 ${MB} 0`,
    ]);
  });

  test('type 3: by month of the billing zone, every account', async () => {
    assert.deepEqual(await report(3), [
      `${t.account} tlogin-user ${T0 - IST} ${PLAN.tclass} 6 ${4 * MB} 6`,
      `${t.account} tlogin-user ${T0 - IST} ${LOCAL} 0 ${MB} 0`,
      `${t.account} tlogin-user ${T0 + 30 * DAY - IST} ${LOCAL} 0 ${MB} 0`,
      `${o.account} ologin-user ${T0 - IST} ${PLAN.tclass} 4 ${3 * MB} 4`,
      `${v6.account} v6login-user ${T0 - IST} ${PLAN.tclass} 2 ${2 * MB} 2`,
    ]);
  });

  test('type 4: by IP, the IPv4 address as its 32 bits (int32 on the wire), IPv6 as 0', async () => {
    // add_param is an integer on the wire: 192.168.1.7 (above 2^31) reads back negative from an int32 reader.
    assert.deepEqual(await report(4, { account_id: t.account }), [
      `${t.account} tlogin-user ${OWN_INT} ${PLAN.tclass} 4 ${3 * MB} 4`,
      `${t.account} tlogin-user ${OWN_INT} ${LOCAL} 0 ${MB} 0`,
      `${t.account} tlogin-user ${FOREIGN_INT | 0} ${PLAN.tclass} 2 ${MB} 2`,
      `${t.account} tlogin-user ${FOREIGN_INT | 0} ${LOCAL} 0 ${MB} 0`,
    ]);
    assert.deepEqual(await report(4, { account_id: v6.account }), [
      `${v6.account} v6login-user 0 ${PLAN.tclass} 2 ${2 * MB} 2`,
    ]);
  });

  test('apid filters by traffic collector (rpcf_put_unif_iptr traffic has none); an unknown type is no rows and a log line', async () => {
    assert.deepEqual(await report(0, { apid: 1 }), []);
    assert.deepEqual(await report(0, { time_start: T0 + 600 + 1, time_end: T0 + 2400 }), [], 'time_end is excluded');
    assert.deepEqual(await report(7), []);
    await core.proc.waitForOutput(/traffic_report_ex refused: traffic_report_ex: type 7 must be 0\.\.4/);
  });

  test('rpcf_get_graph_data_iptraffic: bytes per class per hour for a 1-day span, per day for a month, accounts added up', async () => {
    const points = (r: VarStore) =>
      Array.from(
        { length: Number(r.get('traffic_discount_size')) },
        (_, i) =>
          `${r.get('time', [i])}: ` +
          Array.from(
            { length: Number(r.get('size_array', [i])) },
            (_, j) => `${r.get('tclass', [i, j])}=${r.get('bytes', [i, j])}`,
          ).join(' '),
      );
    const hours = await api.call('rpcf_get_graph_data_iptraffic', {
      uid: t.userId,
      aid: 0,
      t_start: T0,
      t_end: T0 + DAY,
    });
    assert.deepEqual(points(hours), [
      `${T0 - 1800}: ${PLAN.tclass}=${2 * MB} ${LOCAL}=${MB}`,
      `${T0 + 1800}: ${PLAN.tclass}=${MB}`,
      `${T0 + 20 * HOUR - 1800}: ${PLAN.tclass}=${MB}`,
    ]);
    const days = await api.call('rpcf_get_graph_data_iptraffic', { uid: 0, aid: 0, t_start: T0, t_end: T0 + 31 * DAY });
    assert.deepEqual(points(days), [
      `${T0 - IST}: ${PLAN.tclass}=${8 * MB} ${LOCAL}=${MB}`,
      `${T0 + DAY - IST}: ${PLAN.tclass}=${MB}`,
      `${T0 + 30 * DAY - IST}: ${LOCAL}=${MB}`,
    ]);
  });

  test('utm5_urfaclient -a traffic_report_ex prints the rows', async () => {
    const r = await urfaclient(core, [
      '-a',
      'traffic_report_ex',
      '-type',
      '3',
      '-account_id',
      o.account,
      '-time_start',
      String(T0),
      '-time_end',
      String(T0 + 31 * DAY),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const names = ['users_count', 'account_id', 'login', 'add_param', 'tclass', 'base_cost', 'bytes', 'discount'];
    assert.deepEqual(
      names.map((n) => value(r.stdout, n)),
      ['1', o.account, 'ologin-user', String(T0 - IST), String(PLAN.tclass), '4', String(3 * MB), '4'],
    );
  });
});
