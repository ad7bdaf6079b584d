import { ChargeMethod, PeriodType, ServiceStatus, ServiceType, emptyProfile, setHotspotNetworks } from '@utm5/core';
import type { CoreInstance } from './core-instance';
import { withCore } from './core-db';

const ACTOR = { id: -1, login: 'test' };

export interface RadiusUser {
  readonly login: string;
  readonly password: string;
  readonly kind: 'iptraffic' | 'dialup' | 'hotspot';
  /** IP traffic: the IP group's address (/32). */
  readonly ip?: string;
  readonly balance?: number;
  readonly allowedCid?: string;
  /** Dial-up: price per hour around the clock. */
  readonly pricePerHour?: number;
  readonly maxSessions?: number;
  /** The user belongs to the test dealer. */
  readonly dealer?: boolean;
  /** Dial-up: the service's IP pool name. */
  readonly poolName?: string;
  /** Dial-up: dynamic IP addresses on, and an IP traffic link (dynamic too, no IP groups) on the same account. */
  readonly dynamic?: boolean;
  /** Hotspot: the networks clients may log in from. */
  readonly allowedNets?: readonly { ip: string; mask: number }[];
  /** The account starts blocked (UTM5 block type 1, system). */
  readonly blocked?: boolean;
}

/**
 * Sets up RADIUS on a stopped test core's database through the core's API: a NAS (127.0.0.1 with `secret`), an
 * "always" time range, and per user an IP traffic link with an IP group login or a dial-up link. Returns account ids.
 */
export async function setUpRadius(
  inst: CoreInstance,
  secret: string,
  users: readonly RadiusUser[],
  limits: {
    level: 'dealer' | 'user' | 'account' | 'service';
    ref: (ids: { accounts: number[]; users: number[]; services: number[]; dealer: number }) => number;
    max: number;
  }[] = [],
  nas: { daePort?: number; coa?: boolean } = {},
) {
  return withCore(inst, async (core) => {
    const radius = core.radius;
    await radius.catalog.addNas({ name: 'test-nas', ip: '127.0.0.1', secret, ...nas });
    const tar = core.tariffication;
    const period = await tar.addPeriod({ start: Math.floor(Date.now() / 1000) - 3600, type: PeriodType.MONTHLY });
    const rangeId = await tar.catalog.saveTimeRange(
      0,
      'always',
      0,
      [{ wdayStart: 0, hourStart: 0, minStart: 0, secStart: 0, wdayStop: 6, hourStop: 23, minStop: 59, secStop: 59 }],
      [],
    );
    const dealerId = users.some((u) => u.dealer)
      ? await core.billing.dealers.add(ACTOR, {
          login: 'test-dealer',
          password: 'dealer-pw',
          ip4: '0.0.0.0',
          mask4: 0,
          ip6: '::',
          mask6: 0,
          groups: [],
          fields: {
            full_name: 'Test dealer',
            act_address: '',
            passport: '',
            work_tel: '',
            home_tel: '',
            mob_tel: '',
            web_page: '',
            icq_number: '',
            email: '',
            comments: '',
          },
        })
      : 0;
    const accounts: number[] = [];
    const userIds: number[] = [];
    const slinks: number[] = [];
    const services: number[] = [];
    for (const u of users) {
      const made = await core.billing.users.add(ACTOR, {
        login: `${u.login}-user`,
        password: 'x',
        profile: emptyProfile(810),
        params: [],
        groups: [],
        ...(u.dealer ? { dealerId } : {}),
        account: {
          balance: Math.round((u.balance ?? 100) * 1e6),
          credit: 0,
          vatRateE6: 0,
          saleTaxRateE6: 0,
          intStatus: true,
          unlimited: false,
          autoEnableInet: true,
          externalId: '',
          isBlocked: 0,
        },
      });
      accounts.push(made.accountId);
      userIds.push(made.userId);
      const type =
        u.kind === 'iptraffic'
          ? ServiceType.IPTRAFFIC
          : u.kind === 'hotspot'
            ? ServiceType.HOTSPOT
            : ServiceType.DIALUP;
      const svc = await tar.catalog.addService({
        name: `${u.kind} ${u.login}`,
        type,
        status: ServiceStatus.COMMON,
        cost: 0,
        method: ChargeMethod.AT_END,
      });
      services.push(svc);
      if (u.kind === 'iptraffic') {
        await core.db.tx((trx) =>
          core.traffic.catalog.setIpTrafficParams(trx, svc, {
            resetPrepaid: false,
            aggregationInterval: 0,
            isDynamic: false,
            sessionsLimit: u.maxSessions ?? 0,
            borders: [],
            prepaid: [],
            groups: [],
          }),
        );
        slinks.push(
          await core.traffic.addLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period }, [
            { ip: u.ip ?? '10.50.0.1', mask: 32, login: u.login, password: u.password, allowedCid: u.allowedCid ?? '' },
          ]),
        );
      } else {
        await core.db.tx((trx) =>
          radius.catalog.setDialupParams(trx, svc, {
            poolName: u.poolName ?? '',
            maxSessions: u.maxSessions ?? 0,
            isDynamic: u.dynamic ?? false,
            prices: [{ rangeId, pricePerHour: Math.round((u.pricePerHour ?? 1) * 1e6) }],
          }),
        );
        if (u.allowedNets) await core.db.tx((trx) => setHotspotNetworks(trx, svc, u.allowedNets!));
        slinks.push(
          await tar.addPeriodicLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period }, (trx, id) =>
            radius.catalog.setDialupLink(trx, id, {
              login: u.login,
              password: u.password,
              allowedCid: u.allowedCid ?? '',
            }),
          ),
        );
        if (u.dynamic) {
          const ipSvc = await tar.catalog.addService({
            name: `dynamic iptraffic ${u.login}`,
            type: ServiceType.IPTRAFFIC,
            status: ServiceStatus.COMMON,
            cost: 0,
            method: ChargeMethod.AT_END,
          });
          await core.db.tx((trx) =>
            core.traffic.catalog.setIpTrafficParams(trx, ipSvc, {
              resetPrepaid: false,
              aggregationInterval: 0,
              isDynamic: true,
              sessionsLimit: 0,
              borders: [],
              prepaid: [],
              groups: [],
            }),
          );
          await core.traffic.addLink(ACTOR, { accountId: made.accountId, serviceId: ipSvc, periodId: period }, []);
        }
      }
      if (u.blocked) await core.db.knex('accounts').where({ id: made.accountId }).update({ block_type: 1 });
    }
    for (const l of limits)
      await radius.catalog.setLimit(l.level, l.ref({ accounts, users: userIds, services, dealer: dealerId }), l.max);
    radius.changed();
    await radius.settled();
    return { accounts, users: userIds, slinks, services };
  });
}
