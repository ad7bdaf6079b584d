import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import type { DbSettings } from '@utm5/db';
import { mariaDbUnavailable, startMariaDb, type MariaDbServer } from '@utm5/db/testing';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';
import { telLinkInput } from './helpers/tel-setup';

const T0 = 1468886400; // 2016-07-19 00:00 UTC: the manual's example date
const API = join(ROOT, 'xml', 'api.xml');
/** Every call costs the class's fixed cost once, so the charge does not depend on time ranges. */
const FIXED = 1;

/**
 * Over URFA: a zone with one direction (called numbers starting with 8), a telephony service whose zone class costs
 * FIXED per call, a user with balance 100 and the service linked with number 1001. Returns the account id.
 */
async function setupTelephony(api: UrfaApi): Promise<string> {
  const zone = Number((await api.call('rpcf_add_tel_zone', { name: 'Long distance', zone_type: 0 })).get('zone_id'));
  assert.ok(zone > 0, 'zone id');
  await api.call('rpcf_add_tel_direction', {
    zone_id: zone,
    name: 'Russia',
    called_prefix: '8',
    called_prefix_regexp: 0,
    calling_prefix_regexp: 0,
    dir_type: 0,
  });
  const period = (await api.call('rpcf_add_discount_period_return', { start_date: T0, periodic_type: 3 })).get(
    'discount_period_id',
  )!;
  const service = Number(
    (
      await api.call('rpcf_add_tel_service', {
        parent_id: 0,
        tariff_id: 0,
        service_name: 'Phone',
        comment: 'fixed cost per call',
        link_by_default: 0,
        is_dynamic: 0,
        contract_type: 0,
        cost: 0,
        discount_method: 1,
        radius_sessions_limit: 0,
        tariff_class_count: 1,
        tariff_class: [zone],
        border_count: [0],
        border: [[]],
        cost_mult: [[]],
        timerange_count: [0],
        timerange_id: [[]],
        prepaid_array: [0],
        fixed_cost_array: [FIXED],
        free_time: 0,
        first_period_length: 0,
        first_period_step: 1,
        second_period_step: 1,
        time_unit_size: 60,
        discount_free_time: 0,
        minimum_charge: 0,
      })
    ).get('service_id'),
  );
  assert.ok(service > 0, 'service id');
  const u = await api.call('rpcf_add_user_new', {
    login: 'phone-user',
    password: 'pw',
    full_name: 'Phone P.',
    balance: 100,
  });
  await api.call(
    'rpcf_add_tel_service_link',
    telLinkInput({ user: u.get('user_id')!, account: u.get('basic_account')!, service, period: period! }, T0, [
      { login: 'tel1001', number: '1001' },
    ]),
  );

  return u.get('basic_account')!;
}

function scenario(title: string, db: () => DbSettings | undefined) {
  describe(title, () => {
    let core: CoreInstance;
    let api: UrfaApi;
    let account: string;
    let cfg: string;
    const balance = async () =>
      Number((await api.call('rpcf_get_accountinfo', { account_id: account })).get('balance'));
    const sendCdr = (args: string[], input?: string) =>
      runProgram('utm5_send_cdr', ['-c', cfg, ...args], { cwd: ROOT, ...(input ? { input } : {}) });

    before(async () => {
      const settings = db();
      core = await createCore({
        config: { test_clock: 'enable', timezone: 'UTC' },
        ...(settings ? { db: settings } : {}),
      });
      api = await UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
      await api.call('utm5ts_set_time', { time: T0 + 86400 });
      account = await setupTelephony(api);
      cfg = join(core.dir, 'utm5_send_cdr.cfg');
      // The manual's default date (six space-delimited fields, 3..8); two calls a batch, so a file takes
      // several calls of rpcf_put_tel_calls.
      writeFileSync(
        cfg,
        `core_port=${core.urfaPort}\ncore_password=init\npbx_time=3\npbx_session_id=9\ntimezone=UTC\nbatch_size=2\n`,
      );
    });
    after(async () => {
      await api?.close();
      await core?.cleanup();
    });

    const lines = [
      '1001 84951112233 65 00:35:05.000 UTC Tue Jul 19 2016 c1',
      '1001 84951112234 10 01:00:00.000 UTC Tue Jul 19 2016 c2',
      '1001 84951112235 0x 02:00:00.000 UTC Tue Jul 19 2016 c3',
      '',
      '1001 84951112236 30 03:00:00.000 XYZ Tue Jul 19 2016 c4',
      '1001 84951112237 120 04:00:00.000 GMT Tue Jul 19 2016 c5',
    ];

    test('a file is imported; a bad line is named with its number and field, the good ones are charged', async () => {
      const before0 = await balance();
      const file = join(core.dir, 'calls.dat');
      writeFileSync(file, lines.join('\n') + '\n');
      const r = await sendCdr(['-s', file]);
      assert.equal(
        r.stderr,
        `utm5_send_cdr: ${file}:3: pbx_duration (field 2): '0x' is not a number of seconds; line not sent\n` +
          `utm5_send_cdr: ${file}:5: pbx_time: 'XYZ' is not a time zone this tool knows (UTC, GMT, +0300, ` +
          `Europe/Moscow, MSK, ...); line not sent\n`,
      );
      assert.equal(r.stdout, '3 imported, 0 duplicates, 2 bad\n');
      assert.equal(r.code, 6, 'non-zero: lines were bad');
      assert.equal(await balance(), before0 - 3 * FIXED, 'each imported call charged its fixed cost once');
    });

    test('the same file again charges nothing: every call is a duplicate', async () => {
      const before1 = await balance();
      const good = lines.filter((_, i) => i !== 2 && i !== 4);
      const file = join(core.dir, 'again.dat');
      writeFileSync(file, good.join('\n') + '\n');
      const r = await sendCdr(['-s', file]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, '0 imported, 3 duplicates, 0 bad\n', '']);
      assert.equal(await balance(), before1);
    });

    test('standard input; a call of a number no link has is refused by the core and named with its line', async () => {
      const before2 = await balance();
      const r = await sendCdr(
        ['-s', '-'],
        '1001 84950000001 5 05:00:00.000 UTC Tue Jul 19 2016 s1\n' +
          '5555 84950000002 5 05:00:00.000 UTC Tue Jul 19 2016 s2\n',
      );
      assert.match(r.stderr, /^utm5_send_cdr: <stdin>:2: refused by the core: .*5555/);
      assert.equal(r.stdout, '1 imported, 0 duplicates, 1 bad (1 refused by the core)\n');
      assert.equal(r.code, 6);
      assert.equal(await balance(), before2 - FIXED);
    });

    test('a wrong -s or config exits 2, an unreachable core 3; -v masks the password', async () => {
      const missing = await sendCdr(['-s', join(core.dir, 'none.dat')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^utm5_send_cdr: -s .*none\.dat: cannot read the call records file: ENOENT/);
      writeFileSync(join(core.dir, 'bad.cfg'), 'batch_size=50000\n');
      const badCfg = await runProgram('utm5_send_cdr', ['-c', join(core.dir, 'bad.cfg'), '-s', '-'], { cwd: ROOT });
      assert.equal(badCfg.code, 2);
      assert.match(badCfg.stderr, /bad\.cfg:1: .*batch_size/);
      writeFileSync(join(core.dir, 'fmt.cfg'), 'pbx_duration_format=%Y\n');
      const badFmt = await runProgram('utm5_send_cdr', ['-c', join(core.dir, 'fmt.cfg'), '-s', '-'], { cwd: ROOT });
      assert.equal(badFmt.code, 2);
      assert.match(badFmt.stderr, /%Y has no meaning in a duration format/);
      writeFileSync(join(core.dir, 'gone.cfg'), `core_port=${await freePort()}\n`);
      const gone = await runProgram('utm5_send_cdr', ['-c', join(core.dir, 'gone.cfg'), '-s', '-'], {
        cwd: ROOT,
        input: '1 2 3\n',
      });
      assert.equal(gone.code, 3);
      assert.match(gone.stderr, /^utm5_send_cdr: .*connection refused.*; nothing sent\n$/);
      const v = await sendCdr(['-v']);
      assert.equal(v.code, 0);
      assert.match(v.stdout, /^utm5_send_cdr \S+ \(UTM5-TS\)\n/);
      assert.match(v.stdout, /core_password=\*{8} /);
      assert.match(v.stdout, /batch_size=2 /);
    });
  });
}

scenario('utm5_send_cdr (SQLite)', () => undefined);

describe(
  'utm5_send_cdr on MariaDB',
  { skip: process.env['UTM5_SKIP_MARIADB'] ? 'UTM5_SKIP_MARIADB is set' : (mariaDbUnavailable() ?? false) },
  () => {
    let server: MariaDbServer;
    before(async () => {
      server = await startMariaDb();
    });
    after(async () => {
      await server?.stop();
    });
    scenario('the same import', () => server.settings('utm5_send_cdr'));
  },
);
