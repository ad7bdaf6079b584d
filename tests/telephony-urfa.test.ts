import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { UrfaApi } from '@utm5/urfaclient';
import { urfaclient, urfaSession, value, type UrfaSession } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC

describe('telephony reference data over URFA', () => {
  let session: UrfaSession;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => session.call(name, inputs);
  const rows = (n: string | undefined) => Array.from({ length: Number(n) }, (_, i) => i);
  const run = async (action: string, params: Record<string, string | number> = {}) => {
    const r = await urfaclient(session.core, [
      '-a',
      action,
      ...Object.entries(params).flatMap(([k, v]) => [`-${k}`, String(v)]),
    ]);
    assert.equal(r.code, 0, `${action}: ${r.stderr}`);
    return r.stdout;
  };
  const ids = { zone: 0, zone2: 0, dir: 0, range: 0, service: 0 };

  before(async () => {
    session = await urfaSession(T0);
  });
  after(() => session.close());

  test('zones and directions: action scripts add them, the functions read, search and refuse', async () => {
    ids.zone = Number(value(await run('add_tel_zone', { name: 'Moscow', zone_type: 2 }), 'zone_id'));
    assert.ok(ids.zone > 0);
    ids.dir = Number(
      value(
        await run('add_tel_direction', { zone_id: ids.zone, name: 'Moscow city', called_prefix: '7495', dir_type: 0 }),
        'dir_id',
      ),
    );
    assert.ok(ids.dir > 0);
    ids.zone2 = Number((await call('rpcf_add_tel_zone', { name: 'Intl', zone_type: 3 })).get('zone_id'));
    const bad = await call('rpcf_add_tel_direction', {
      zone_id: ids.zone,
      name: 'bad',
      called_prefix: '7(',
      dir_type: 0,
    });
    assert.equal(bad.get('dir_id'), '-1', 'a pattern that does not compile is refused');
    const z = await call('rpcf_get_tel_zone', { zone_id: ids.zone });
    assert.deepEqual([z.get('name'), z.get('dir_count'), z.get('dir_id_array', [0])], ['Moscow', '1', String(ids.dir)]);
    const d = await call('rpcf_get_tel_direction', { dir_id: ids.dir });
    assert.deepEqual([d.get('called_prefix'), d.get('called_prefix_regexp')], ['7495', '1']);
    assert.equal((await call('rpcf_get_tel_direction', { dir_id: 999 })).get('dir_id'), '-1');
    const found = await call('rpcf_search_tel_dirs', {
      status: 0,
      params_cnt: 1,
      field: [5],
      criteria: [1],
      value: ['74%'],
      skip_ids_cnt: 0,
      offset: 0,
      count: 0,
    });
    assert.deepEqual([found.get('dir_count'), found.get('dir_id_array', [0])], ['1', String(ids.dir)]);
    assert.equal((await call('rpcf_get_tel_directions_count', { skip_ids_cnt: 0 })).get('count'), '1');
    assert.equal((await call('rpcf_tel_zones_list')).get('zone_count'), '2');
  });

  test('a telephony service with two classes, borders and prices is read back identical', async () => {
    await call('rpcf_add_time_range', {
      tr_name: 'all',
      priority: 1,
      sec_start: [0],
      sec_stop: [59],
      min_start: [0],
      min_stop: [59],
      hour_start: [0],
      hour_stop: [23],
      wday_start: [0],
      wday_stop: [6],
      internal_id: [],
      mday: [],
      month: [],
    });
    const ranges = await call('rpcf_get_time_ranges');
    ids.range = Number(ranges.get('range_id', [0]));
    const svc = {
      parent_id: 0,
      tariff_id: 0,
      service_name: 'Tel',
      comment: 'calls',
      link_by_default: 0,
      is_dynamic: 0,
      contract_type: 0,
      service_cost: 10,
      discount_method: 1,
      radius_sessions_limit: 2,
      tariff_class_count: 2,
      tariff_class: [ids.zone, -ids.dir],
      border_count_array: [2, 0],
      border: [[600, 1200], []],
      cost_mult: [[0.85, 0.7], []],
      timerange_count_array: [1, 1],
      timerange_id: [[ids.range], [ids.range]],
      cost: [[1.5], [0.123456]],
      prepaid_array: [60, 0],
      fixed_cost_array: [0.1, 0],
      free_time: 3,
      first_period_length: 60,
      first_period_step: 30,
      second_period_step: 6,
      time_unit_size: 60,
      discount_free_time: 1,
      minimum_charge: 5,
    };
    ids.service = Number((await call('rpcf_add_tel_service', svc)).get('service_id'));
    assert.ok(ids.service > 0, 'the service id');
    const g = await call('rpcf_get_tel_service', { service_id: ids.service });
    const near = (got: string | undefined, want: number) =>
      assert.ok(Math.abs(Number(got) - want) < 1e-9, `${got} ~ ${want}`);
    near(g.get('service_cost'), 10);
    assert.deepEqual(
      [g.get('service_name'), g.get('radius_sessions_limit'), g.get('tariff_class_count'), g.get('time_unit_size')],
      ['Tel', '2', '2', '60'],
    );
    for (const i of [0, 1]) {
      assert.equal(g.get('tariff_class', [i]), String(svc.tariff_class[i]));
      assert.equal(g.get('border_count_array', [i]), String(svc.border_count_array[i]));
      for (const j of rows(g.get('border_count_array', [i]))) {
        assert.equal(g.get('border', [i, j]), String(svc.border[i]![j]));
        near(g.get('cost_mult', [i, j]), svc.cost_mult[i]![j]!);
      }
      assert.equal(g.get('timerange_id', [i, 0]), String(ids.range));
      near(g.get('cost', [i, 0]), svc.cost[i]![0]!);
      near(g.get('fixed_cost_array', [i]), svc.fixed_cost_array[i]!);
      assert.equal(g.get('prepaid_array', [i]), String(svc.prepaid_array[i]));
    }
    near(g.get('minimum_charge'), 5);
    const none = await call('rpcf_add_tel_service', { ...svc, tariff_class_count: 0 });
    assert.equal(none.get('service_id'), '0', 'a service without a class is refused');
    assert.equal(
      (await call('rpcf_remove_tel_zone', { zone_id: ids.zone })).get('zone_id'),
      '-1',
      'a priced zone stays',
    );
    assert.equal(
      (await call('rpcf_set_tel_emergency_calls', { service_id: ids.service, zone_id_array: [ids.zone2] })).get(
        'result',
      ),
      '0',
    );
    const e = await call('rpcf_get_tel_emergency_calls');
    assert.deepEqual(
      [e.get('service_id', [0]), e.get('zone_id_array', [0, 0])],
      [String(ids.service), String(ids.zone2)],
    );
    assert.match(await run('get_tel_service', { service_id: ids.service }), /name="service_name" value="Tel"/);
  });
});
