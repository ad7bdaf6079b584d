import assert from 'node:assert/strict';
import type { UrfaApi } from '@utm5/urfaclient';

export const MB = 1024 * 1024;

/** Subclass fields of rpcf_add_tclass2 with their "match anything" values; a test overrides what it matches. */
const ANY_SUBCLASS: Record<string, string | number> = {
  saddr: '0.0.0.0',
  saddr_mask: 0,
  sport: 0,
  input: 0,
  src_as: 0,
  daddr: '0.0.0.0',
  daddr_mask: 0,
  dport: 0,
  output: 0,
  dst_as: 0,
  proto: 0,
  tos: 0,
  nexthop: '0.0.0.0',
  tcp_flags: 0,
  ip_from: '0.0.0.0',
  nfprovider_id: 0,
  use_sport: 0,
  use_input: 0,
  use_src_as: 0,
  use_dport: 0,
  use_output: 0,
  use_dst_as: 0,
  use_proto: 0,
  use_tos: 0,
  use_nexthop: 0,
  use_tcp_flags: 0,
  skip: 0,
};

/** rpcf_add_tclass2's inputs for a class with these subclasses (each a partial override of ANY_SUBCLASS). */
export function tclassInput(
  id: number,
  name: string,
  subclasses: Record<string, string | number>[],
): Record<string, string | number | (string | number)[]> {
  const rows = subclasses.map((s) => ({ ...ANY_SUBCLASS, ...s }));
  const columns = Object.fromEntries(Object.keys(ANY_SUBCLASS).map((k) => [k, rows.map((r) => r[k]!)]));
  return {
    tclass_id: id,
    tclass_name: name,
    graph_color: 0xff0000,
    is_display: 1,
    is_fill: 0,
    time_range_id: 0,
    dont_save: 0,
    local_traf_policy: 0,
    tclass_count: rows.length,
    ...columns,
  };
}

/** The IP traffic plan both URFA tests use: class 10, 2 per MB up to 10 MB, 1 per MB after; 1 MB prepaid (carry at most 5 MB). */
export const PLAN = {
  tclass: 10,
  fee: 3,
  borders: [
    [0, 2],
    [10 * MB, 1],
  ] as const,
  prepaid: MB,
  prepaidMax: 5 * MB,
  interval: 300,
};

export interface IpTrafficSetup {
  readonly period: string;
  readonly service: number;
  readonly userId: string;
  readonly account: string;
  readonly slink: number;
}

/**
 * Over URFA only: class 10, a monthly period from `start`, an IP traffic service priced by PLAN, a user with `balance`
 * and the service linked to the account with one IP group (ip/32, login). Returns the ids.
 */
export async function setupIpTraffic(
  api: UrfaApi,
  o: { start: number; login: string; ip: string; balance: number; skipRfw?: boolean },
): Promise<IpTrafficSetup> {
  await api.call('rpcf_add_tclass2', tclassInput(PLAN.tclass, 'Internet', [{ saddr: '10.0.0.0', saddr_mask: 8 }]));
  const period = (await api.call('rpcf_add_discount_period_return', { start_date: o.start, periodic_type: 3 })).get(
    'discount_period_id',
  )!;
  const name = `Traffic ${o.login}`;
  await api.call('rpcf_add_iptraffic_service', {
    parent_id: 0,
    tariff_id: 0,
    service_id: 0,
    service_name: name,
    comment: 'per MB',
    link_by_default: 0,
    is_dynamic: 0,
    cost: PLAN.fee,
    param1: PLAN.interval,
    discount_method: 1,
    start_date: o.start,
    expire_date: 2000000000,
    null_service_prepaid: 0,
    tclass_b: PLAN.borders.map(() => PLAN.tclass),
    size_b: PLAN.borders.map(([s]) => s),
    cost_b: PLAN.borders.map(([, c]) => c),
    tclass_p: [PLAN.tclass],
    size_p: [PLAN.prepaid],
    size_max_p: [PLAN.prepaidMax],
    tcid: [],
    gid: [],
  });
  const list = await api.call('rpcf_get_services_list', { which_service: 3 });
  const row = Array.from({ length: Number(list.get('services_count')) }, (_, i) => i).find(
    (i) => list.get('service_name_array', [i]) === name,
  );
  assert.ok(row !== undefined, `service '${name}' is listed`);
  const service = Number(list.get('service_id_array', [row]));
  const u = await api.call('rpcf_add_user_new', {
    login: `${o.login}-user`,
    password: 'pw',
    full_name: 'Traffic T.',
    balance: o.balance,
  });
  const slink = Number(
    (
      await api.call('rpcf_add_iptraffic_service_link_ipv6', {
        user_id: u.get('user_id')!,
        account_id: u.get('basic_account')!,
        service_id: service,
        tplink_id: 0,
        discount_period_id: period,
        start_date: o.start,
        policy_id: 0,
        unabon: 0,
        unprepay: 0,
        ip_groups_count: 1,
        id: [0],
        ip: [o.ip],
        mask: [32],
        mac: [''],
        login: [o.login],
        allowed_cid: [''],
        password: ['secret'],
        is_skip_radius: [0],
        is_skip_rfw: [o.skipRfw === false ? 0 : 1],
        router_id: [0],
        quotas_count: 1,
        tc_id: [PLAN.tclass],
        quota: [1000],
      })
    ).get('slink_id'),
  );
  assert.ok(slink > 0, 'the new service link id');
  return { period, service, userId: u.get('user_id')!, account: u.get('basic_account')!, slink };
}
