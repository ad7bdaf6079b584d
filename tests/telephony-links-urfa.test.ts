import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UrfaApi } from '@utm5/urfaclient';
import { urfaclient, urfaSession, value, type UrfaSession } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC

describe('telephony links and numbers over URFA', () => {
  let session: UrfaSession;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => session.call(name, inputs);
  const run = async (action: string, params: [string, string | number][]) => {
    const r = await urfaclient(session.core, ['-a', action, ...params.flatMap(([k, v]) => [`-${k}`, String(v)])]);
    assert.equal(r.code, 0, `${action}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    session = await urfaSession(T0);
  });
  after(() => session.close());

  test('a service added by its action script; links keep their numbers; a number or login in use is refused', async () => {
    const zone = Number((await call('rpcf_add_tel_zone', { name: 'City', zone_type: 0 })).get('zone_id'));
    // One class without borders or prices: the action script's repeated names are one per class.
    const svcOut = await run('add_tel_service', [
      ['parent_id', 0],
      ['tariff_id', 0],
      ['service_name', 'Phone'],
      ['comment', ''],
      ['link_by_default', 0],
      ['is_dynamic', 0],
      ['contract_type', 0],
      ['cost', 0],
      ['discount_method', 1],
      ['radius_sessions_limit', 0],
      ['tariff_class_count', 1],
      ['tariff_class', zone],
      ['border_count', 0],
      ['timerange_count', 0],
      ['prepaid_array', 120],
      ['fixed_cost_array', 0.5],
      ['free_time', 5],
      ['first_period_length', 0],
      ['first_period_step', 1],
      ['second_period_step', 1],
      ['time_unit_size', 60],
      ['discount_free_time', 0],
      ['minimum_charge', 0],
    ]);
    const service = Number(value(svcOut, 'service_id'));
    assert.ok(service > 0, svcOut);
    const g = await call('rpcf_get_tel_service', { service_id: service });
    assert.deepEqual(
      [g.get('tariff_class', [0]), g.get('prepaid_array', [0]), g.get('free_time')],
      [String(zone), '120', '5'],
    );

    const period = (await call('rpcf_add_discount_period_return', { start_date: T0, periodic_type: 3 })).get(
      'discount_period_id',
    )!;
    const user = async (login: string) => {
      const u = await call('rpcf_add_user_new', { login, password: 'pw', balance: 10 });
      return { user_id: u.get('user_id')!, account_id: u.get('basic_account')! };
    };
    const nums = (rows: string[][]) => ({
      login_count: rows.length,
      login: rows.map((r) => r[0]!),
      number: rows.map((r) => r[1]!),
      incoming_trunk: rows.map(() => ''),
      outgoing_trunk: rows.map(() => ''),
      pbx_id: rows.map(() => ''),
      password: rows.map((r) => r[2] ?? ''),
      allowed_cid: rows.map(() => ''),
    });
    const link = async (u: { user_id: string; account_id: string }, rows: string[][]) =>
      Number(
        (
          await call('rpcf_add_tel_service_link', {
            ...u,
            service_id: service,
            tplink_id: 0,
            discount_period_id: period,
            start_date: T0,
            expire_date: 0,
            policy_id: 0,
            recalc_fee: 0,
            ...nums(rows),
          })
        ).get('slink_id'),
      );
    const alice = await user('alice');
    const bob = await user('bob');
    const a = await link(alice, [
      ['', '74951234567', ''],
      ['alice-gw', '', 'gw-secret'],
      ['', '777#', ''],
    ]);
    assert.ok(
      a > 0,
      `the first link: ${readFileSync(join(session.core.dir, 'debug.log'), 'utf8')
        .split('\n')
        .filter((x) => /link|refus/.test(x))
        .slice(-3)
        .join(' | ')}`,
    );
    assert.equal(await link(bob, [['', '74951234567']]), 0, 'a number of a link in force is refused');
    assert.equal(await link(bob, [['alice-gw', '1']]), 0, 'a login of a link in force is refused');
    assert.equal(await link(bob, [['', '1#2']]), 0, "'#' only ends a tech prefix");
    const used = (login: string, number: string, slink_id = 0) =>
      call('rpcf_is_tel_number_used', { slink_id, login, number, incoming_trunk: '', outgoing_trunk: '', pbx_id: '' });
    assert.equal((await used('', '74951234567')).get('result'), '1');
    assert.equal((await used('', '74951234567', a)).get('result'), '0', 'its own link is not another');
    assert.equal((await used('alice-gw', '')).get('result'), '1');
    assert.equal((await used('', '111')).get('result'), '0');

    const l = await call('rpcf_get_tel_service_link', { slinkId: a });
    assert.deepEqual(
      [l.get('numSize'), l.get('number', [0]), l.get('login', [1]), l.get('password', [1]), l.get('number', [2])],
      ['3', '74951234567', 'alice-gw', 'gw-secret', '777#'],
    );
    const list = await call('rpcf_get_tel_number_list');
    assert.equal(list.get('count'), '3');
    assert.deepEqual(
      [0, 1, 2].map((i) => list.get('password', [i])),
      ['', '', ''],
      'the list of all numbers carries no password',
    );

    const edited = await call('rpcf_edit_tel_service_link', {
      slinkId: a,
      start_date: T0,
      expire_date: 0,
      policy_id: 0,
      cost_coef: 1,
      loginCount: 1,
      ...(({ login_count: _c, ...rest }) => rest)(nums([['', '74950000000']])),
    });
    assert.equal(edited.get('slinkId'), String(a));
    assert.equal((await used('', '74951234567')).get('result'), '0', 'the edit replaced the numbers');
    const b = await link(bob, [['', '74951234567']]);
    assert.ok(b > 0, 'a number given up is free again');

    assert.equal((await call('rpcf_delete_slink', { slink_id: b })).get('error_code'), '0');
    assert.equal((await used('', '74951234567')).get('result'), '0', "a removed link's numbers are out of use");
    assert.equal((await call('rpcf_get_tel_number_list')).get('count'), '1');
  });
});
