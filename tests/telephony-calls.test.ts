import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VarStore } from '@utm5/protocol';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { withCore } from './helpers/core-db';
import { ROOT } from './helpers/paths';
import { setUpTelephony } from './helpers/tel-setup';

// Rates calls through the rating of helper "pure" (DirectionIndex, rateCall): fails with "not implemented" before it.

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const DAY = 86400;
const API = join(ROOT, 'xml', 'api.xml');

/** A call as rpcf_put_tel_calls's parallel arrays take it. */
interface Cdr {
  calling: string;
  called: string;
  session?: string;
  start?: number;
  duration: number;
}

const batch = (calls: readonly Cdr[]) => ({
  calling_number: calls.map((c) => c.calling),
  called_number: calls.map((c) => c.called),
  incoming_trunk: calls.map(() => ''),
  outgoing_trunk: calls.map(() => ''),
  session_id: calls.map((c) => c.session ?? ''),
  pbx_id: calls.map(() => ''),
  login: calls.map(() => ''),
  disconnect_cause: calls.map(() => '16'),
  call_start_date: calls.map((c) => c.start ?? T0 + 3600),
  call_duration: calls.map((c) => c.duration),
});

const outcome = (r: VarStore) => ({
  imported: Number(r.get('imported')),
  duplicates: Number(r.get('duplicates')),
  refused: Array.from({ length: Number(r.get('refused_count')) }, (_, i) => [
    Number(r.get('refused_index', [i])),
    String(r.get('refused_reason', [i])).split(' ')[0],
  ]),
});

/** Waits (up to 10 s) for a line in the core's log: it is written after the reply may have gone. */
async function logged(core: CoreInstance, re: RegExp): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (re.test(readFileSync(join(core.dir, 'debug.log'), 'utf8'))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(readFileSync(join(core.dir, 'debug.log'), 'utf8'), re);
}

describe('telephone calls over URFA: utm5_send_cdr batches, rpcf_put_tel_call, the reports', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  let accounts: number[] = [];
  let zones = { mobile: 0, city: 0 };

  // 1 unit a minute to zone mobile (x0.5 from 120 s on), 2 to zone city. '1001' is an ANI, '77#' a tech prefix.
  const CALLS: Cdr[] = [
    { calling: '1001', called: '79160000001', session: 'c1', duration: 60 }, // mobile 1
    { calling: '1001', called: '4951234', session: 'c2', duration: 90 }, // city 3
    { calling: '1001', called: '79160000002', session: 'c3', duration: 120 }, // mobile 60 s at 1, 60 s at 0.5
    { calling: '1001', called: '79160000001', session: 'c1', duration: 60 }, // the same call again
    { calling: '5555', called: '8800', duration: 60 }, // no link
    { calling: '1001', called: '7916', duration: -1 }, // bad
    { calling: '2000', called: '77#4951111', duration: 60 }, // tech prefix 77: city 2
  ];

  before(async () => {
    core = await createCore({ config: { test_clock: 'enable' } });
    await core.stop();
    ({ accounts, zones } = await setUpTelephony(
      core,
      [
        { number: '1001', balance: 100 },
        { number: '77#', balance: 100 },
      ],
      T0,
      1_000_000,
    ));
    await core.start();
    api = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
      timeoutMs: 120_000,
    });
    await api.call('utm5ts_set_time', { time: T0 + DAY });
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test('a batch: imported, duplicates (within it and when sent again), refusals with index and reason', async () => {
    assert.deepEqual(outcome(await api.call('rpcf_put_tel_calls', batch(CALLS))), {
      imported: 4,
      duplicates: 1,
      refused: [
        [4, 'no'],
        [5, 'call_duration'],
      ],
    });
    assert.deepEqual(outcome(await api.call('rpcf_put_tel_calls', batch(CALLS))), {
      imported: 0,
      duplicates: 5,
      refused: [
        [4, 'no'],
        [5, 'call_duration'],
      ],
    });
    await api.call('rpcf_put_tel_call', {
      calling_number: '1001',
      called_number: '79160000003',
      session_id: 'c4',
      call_start_date: T0 + 7200,
      call_duration: 60,
    }); // past the border: 0.5
    await assert.rejects(
      api.call('rpcf_put_tel_calls', batch(Array.from({ length: 10_001 }, () => CALLS[0]!))),
      /returned no data/,
    );
    await logged(core, /count 10001 must be 0\.\.10000/);
    await logged(core, /call 5: call_duration -1/);
    const balances = await withCore(core, async (c) =>
      Promise.all(accounts.map(async (a) => (await c.billing.accounts.get(a))!.balance / 1e6)),
    );
    assert.deepEqual(balances, [100 - 6, 100 - 2]);
  });

  test('rpcf_get_tel_report: one row per part, in currency units', async () => {
    const r = await api.call('rpcf_get_tel_report', { account_id: accounts[0]!, time_start: T0, time_end: T0 + DAY });
    assert.equal(Number(r.get('dhs_log_size')), 1);
    const rows = Array.from({ length: Number(r.get('count_array', [0])) }, (_, j) =>
      ['Called_Station_Id', 'zone_id', 'duration', 'acct_sess_time', 'base_cost', 'cost_mult', 'sum_cost', 'dcause']
        .map((n) => r.get(n, [0, j]))
        .join(' '),
    );
    const m = zones.mobile;
    const c = zones.city;
    assert.deepEqual(rows, [
      `79160000001 ${m} 60 60 1 1 1 16`,
      `4951234 ${c} 90 90 2 1 3 16`,
      `79160000002 ${m} 60 120 1 1 1 16`,
      `79160000002 ${m} 60 120 1 0.5 0.5 16`,
      `79160000003 ${m} 60 60 1 0.5 0.5 `,
    ]);
  });

  test('the directions summary and the call details per zone type', async () => {
    const s = await api.call('rpcf_tel_directions_report', { account_id: accounts[0]!, time_start: T0 });
    const sums = Array.from({ length: Number(s.get('count')) }, (_, i) =>
      ['zone_name', 'dir_name', 'calls', 'seconds', 'rounded', 'cost'].map((n) => s.get(n, [i])).join(' '),
    );
    assert.deepEqual(
      sums,
      zones.mobile < zones.city
        ? ['mobile mobile 7 3 240 240 3', 'city city 4 1 90 90 3']
        : ['city city 4 1 90 90 3', 'mobile mobile 7 3 240 240 3'],
    );
    const d = await api.call('rpcf_tel_call_details', { time_start: T0, zone_type: 0 });
    const rows: string[] = [];
    for (let i = 0; i < Number(d.get('accounts_count')); i++)
      for (let j = 0; j < Number(d.get('atr_size_array', [i])); j++)
        rows.push(['account_id', 'called', 'rounded', 'cost', 'zone_type'].map((n) => d.get(n, [i, j])).join(' '));
    assert.deepEqual(rows, [`${accounts[0]} 4951234 90 3 0`, `${accounts[1]} 77#4951111 60 2 0`]);
  });
});
