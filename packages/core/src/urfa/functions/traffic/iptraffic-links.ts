import { L, type CallArgs } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import { ServiceType } from '../../../tariffication/model';
import type { IpGroupDef } from '../../../traffic/catalog';
import { coef, coefE6, engine } from '../tariffication/common';
import { checkRange, ipv4ToInt, traffic } from './common';
import { DHCP_OPTIONS } from './dhcp-options';

function readGroups(a: CallArgs): IpGroupDef[] {
  return Array.from({ length: a.int('ip_groups_count') }, (_, i): IpGroupDef => {
    const where = `IP group ${i + 1}`;
    return {
      ip: a.ip('ip', i),
      mask: checkRange(where, 'mask', a.int('mask', i), 0, a.ip('ip', i).includes(':') ? 128 : 32),
      mac: a.str('mac', i),
      login: a.str('login', i),
      allowedCid: a.str('allowed_cid', i),
      password: a.str('password', i),
      poolName: a.str('pool_name', i),
      skipRadius: a.int('is_skip_radius', i) !== 0,
      skipRfw: a.int('is_skip_rfw', i) !== 0,
      routerId: a.int('router_id', i),
      switchId: a.int('switch_id', i),
      portId: a.int('port_id', i),
      vlanId: a.int('vlan_id', i),
      poolId: a.int('pool_id', i),
    };
  });
}

export const addIptrafficServiceLinkIpv6 = defineFunction(
  'rpcf_add_iptraffic_service_link_ipv6',
  0x294e,
  {
    comment:
      'links an IP traffic service to an account with its IP groups (IPv4 or IPv6 address and mask; login and password for ' +
      "RADIUS and utm5_send_traffic); user_id is taken from the account; policy_id 0: the service's policy; unprepay 1: the link gets " +
      'no prepaid traffic; the group id, DHCP options and traffic quotas are accepted and ignored (the core log says so); ' +
      'slink_id 0: refused (the core log says why)',
    input: [
      L.int('user_id'),
      L.int('account_id'),
      L.int('service_id'),
      L.int('tplink_id'),
      L.int('discount_period_id'),
      L.int('start_date', { default: 'now()' }),
      L.int('expire_date', { default: 'max_time()' }),
      L.int('policy_id'),
      L.int('unabon'),
      L.double('cost_coef', { default: '1.0' }),
      L.int('house_id', { default: '0' }),
      L.str('comment', { default: '' }),
      L.int('unprepay'),
      L.int('ip_groups_count'),
      L.for('i', '0', 'ip_groups_count', [
        L.int('id', { index: 'i' }),
        L.ip('ip', { index: 'i' }),
        L.int('mask', { index: 'i' }),
        L.str('mac', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.str('allowed_cid', { index: 'i' }),
        L.str('password', { index: 'i' }),
        L.str('pool_name', { index: 'i', default: '' }),
        L.int('is_skip_radius', { index: 'i' }),
        L.int('is_skip_rfw', { index: 'i' }),
        L.int('router_id', { index: 'i' }),
        L.int('switch_id', { index: 'i', default: '0' }),
        L.int('port_id', { index: 'i', default: '0' }),
        L.int('vlan_id', { index: 'i', default: '0' }),
        L.int('pool_id', { index: 'i', default: '0' }),
        L.int('dhcp_option_owner_id', { index: 'i', default: '0' }),
        L.int('dhcp_option_owner_type', { index: 'i', default: '0' }),
        ...DHCP_OPTIONS,
      ]),
      L.int('quotas_count'),
      L.for('i', '0', 'quotas_count', [L.int('tc_id', { index: 'i' }), L.long('quota', { index: 'i' })]),
    ],
    output: [
      L.int('slink_id'),
      L.if('slink_id', 'eq', '0', [L.error('13', 'unable to link the IP traffic service (the core log says why)')]),
    ],
    docs: {
      unprepay: '1: no prepaid traffic on this link',
      router_id: 'NetFlow provider of the IP group (0: any)',
      quotas_count: 'traffic quotas: ignored',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const accountId = a.int('account_id');
    const slink = await guarded(
      ctx,
      call,
      `link IP traffic service ${a.int('service_id')} to account ${accountId}`,
      () =>
        traffic(ctx).addLink(
          actorOf(call),
          {
            accountId,
            serviceId: a.int('service_id'),
            tariffLinkId: a.int('tplink_id'),
            periodId: a.int('discount_period_id'),
            startDate: a.int('start_date'),
            expireDate: a.int('expire_date'),
            policyId: a.int('policy_id'),
            houseId: a.int('house_id'),
            comment: a.str('comment'),
            unabon: a.int('unabon') !== 0,
            unprepay: a.int('unprepay') !== 0,
            costCoefE6: coefE6(a.double('cost_coef')),
          },
          readGroups(a),
        ),
      () => 0,
    );
    const dhcp = Array.from({ length: a.int('ip_groups_count') }, (_, i) => a.int('dhcp_options_size', i)).reduce(
      (s, n) => s + n,
      0,
    );
    const ignored = [
      a.int('quotas_count') > 0 ? `${a.int('quotas_count')} traffic quota(s)` : '',
      dhcp > 0 ? `${dhcp} DHCP option(s)` : '',
    ].filter(Boolean);
    if (slink > 0 && ignored.length > 0) {
      ctx.log
        .child({ component: 'urfa' })
        .notice(
          `${call.principal.login}@${call.peer}: service link ${slink}: ${ignored.join(' and ')} ignored (UTM5-TS keeps none per IP traffic link)`,
        );
    }
    return { slink_id: slink };
  },
);

/** What both get functions answer: the link, the service's plan and parent, the account's block and the IP groups. */
async function linkView(ctx: HandlerContext, slinkId: number) {
  const l = await traffic(ctx).catalog.ipTrafficLink(slinkId);
  const svc = l && (await engine(ctx).catalog.service(l.serviceId));
  if (!l || !svc || svc.type !== ServiceType.IPTRAFFIC) throw new Error(`no IP traffic service link ${slinkId}`);
  const acc = await ctx.billing.accounts.require(l.accountId);
  const gs = await traffic(ctx).catalog.ipGroups(l.id);
  const bw = await ctx.shaping.bandwidthOf(l.id);
  const col = (k: string) => gs.map((g) => g[k] as string | number);
  const flag = (k: string) => gs.map((g) => (g[k] ? 1 : 0));
  return {
    tariff_link_id: l.tariffLinkId,
    is_blocked: acc.blockType,
    discount_period_id: l.periodId,
    start_date: l.startDate,
    expire_date: l.expireDate,
    policy_id: l.policyId,
    cost_coef: coef(l.costCoefE6),
    unabon: l.unabon ? 1 : 0,
    unprepay: l.unprepay ? 1 : 0,
    house_id: l.houseId,
    comment: l.comment,
    tariff_id: svc.tariffId,
    parent_id: svc.parentId,
    bandwidth_in: bw.in ?? 0,
    bandwidth_out: bw.out ?? 0,
    ip_groups_count: gs.length,
    id: col('id'),
    ip_address: col('ip'),
    mask: col('mask'),
    mac: col('mac'),
    iptraffic_login: col('login'),
    iptraffic_password: col('password'),
    iptraffic_allowed_cid: col('allowed_cid'),
    pool_name: col('pool_name'),
    ip_not_vpn: flag('is_skip_radius'),
    dont_use_fw: flag('is_skip_rfw'),
    is_dynamic: gs.map(() => 0),
    router_id: col('router_id'),
    switch_id: col('switch_id'),
    port_id: col('port_id'),
    vlan_id: col('vlan_id'),
    pool_id: col('pool_id'),
    dhcp_options_size: gs.map(() => 0),
    quotas_count: 0,
  };
}

const QUOTAS = [
  L.int('quotas_count'),
  L.for('i', '0', 'quotas_count', [
    L.int('tclass_id', { index: 'i' }),
    L.str('tclass_name', { index: 'i' }),
    L.long('quota', { index: 'i' }),
  ]),
];

const GET_COMMENT =
  "is_blocked: the account's block type (0 none); ip_not_vpn / dont_use_fw: the group skips RADIUS / the firewall; " +
  'bandwidth_in / bandwidth_out: the Dynashape bandwidth in force, Kbit/s (0 none); DHCP options and quotas are always 0; ' +
  'an unknown slink_id ends the call without data';

export const getIptrafficServiceLinkIpv6 = defineFunction(
  'rpcf_get_iptraffic_service_link_ipv6',
  0x272f,
  {
    comment: GET_COMMENT,
    input: [L.int('slink_id')],
    output: [
      L.int('tariff_link_id'),
      L.int('is_blocked'),
      L.int('discount_period_id'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('policy_id'),
      L.double('cost_coef'),
      L.int('unabon'),
      L.int('unprepay'),
      L.int('house_id'),
      L.str('comment'),
      L.int('tariff_id'),
      L.int('parent_id'),
      L.int('bandwidth_in'),
      L.int('bandwidth_out'),
      L.int('ip_groups_count'),
      L.for('i', '0', 'ip_groups_count', [
        L.int('id', { index: 'i' }),
        L.ip('ip_address', { index: 'i' }),
        L.int('mask', { index: 'i' }),
        L.str('mac', { index: 'i' }),
        L.str('iptraffic_login', { index: 'i' }),
        L.str('iptraffic_password', { index: 'i' }),
        L.str('iptraffic_allowed_cid', { index: 'i' }),
        L.str('pool_name', { index: 'i' }),
        L.int('ip_not_vpn', { index: 'i' }),
        L.int('dont_use_fw', { index: 'i' }),
        L.int('is_dynamic', { index: 'i' }),
        L.int('router_id', { index: 'i' }),
        L.int('switch_id', { index: 'i' }),
        L.int('port_id', { index: 'i' }),
        L.int('vlan_id', { index: 'i' }),
        L.int('pool_id', { index: 'i' }),
        ...DHCP_OPTIONS,
      ]),
      ...QUOTAS,
    ],
  },
  async (call, ctx) => linkView(ctx, call.args.int('slink_id')),
);

export const getIptrafficServiceLink = defineFunction(
  'rpcf_get_iptraffic_service_link',
  0x2702,
  {
    comment: `the older form: ip_address is an IPv4 address as a 32-bit integer (0 for an IPv6 group). ${GET_COMMENT}`,
    input: [L.int('slink_id')],
    output: [
      L.int('tariff_link_id'),
      L.int('is_blocked'),
      L.int('discount_period_id'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('unabon'),
      L.int('unprepay'),
      L.int('tariff_id'),
      L.int('parent_id'),
      L.int('ip_groups_count'),
      L.for('i', '0', 'ip_groups_count', [
        L.int('ip_address', { index: 'i' }),
        L.int('mask', { index: 'i' }),
        L.str('mac', { index: 'i' }),
        L.str('iptraffic_login', { index: 'i' }),
        L.str('iptraffic_password', { index: 'i' }),
        L.str('iptraffic_allowed_cid', { index: 'i' }),
        L.int('ip_not_vpn', { index: 'i' }),
        L.int('dont_use_fw', { index: 'i' }),
        L.int('router_id', { index: 'i' }),
      ]),
      ...QUOTAS,
    ],
  },
  async (call, ctx) => {
    const v = await linkView(ctx, call.args.int('slink_id'));
    return { ...v, ip_address: v.ip_address.map((ip) => ipv4ToInt(String(ip))) };
  },
);
