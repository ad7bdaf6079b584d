import { TestClock, SystemClock } from '@utm5/common';
import { ChargeMethod, PeriodType, type TrafficCatalog, ServiceStatus, ServiceType, emptyProfile } from '@utm5/core';
import { withCore } from './core-db';
import type { CoreInstance } from './core-instance';

export const MB = 1024 * 1024;
const ACTOR = { id: -1, login: 'test' };

/** A new account with no money, taxes or block, for setting up through the core's API. */
export const PLAIN_ACCOUNT = {
  balance: 0,
  credit: 0,
  vatRateE6: 0,
  saleTaxRateE6: 0,
  intStatus: true,
  unlimited: false,
  autoEnableInet: true,
  externalId: '',
  isBlocked: 0,
};

export interface TrafficUser {
  readonly ip: string;
  /** Price per MB of every byte (border 0). */
  readonly costPerMb: number;
  readonly prepaidMb?: number;
}

/**
 * Sets up IP traffic on a test core's database through the core's own API, with the core process stopped (it is
 * started again by the caller): class 1 = all traffic, a monthly period from `start`, per user an IP traffic service
 * and a link with the user's address; the System collector commits every second.
 */
export async function setUpTraffic(
  inst: CoreInstance,
  users: readonly TrafficUser[],
  start = Math.floor(Date.now() / 1000) - 3600,
  collector: Parameters<TrafficCatalog['editCollector']>[1] = {},
): Promise<{ accounts: number[]; slinks: number[] }> {
  return withCore(
    inst,
    async (core) => {
      const traffic = core.traffic;
      await traffic.catalog.addTclass({
        id: 1,
        name: 'All',
        subclasses: [
          {
            saddr: '0.0.0.0',
            saddrMask: 0,
            sport: 0,
            input: 0,
            srcAs: 0,
            daddr: '0.0.0.0',
            daddrMask: 0,
            dport: 0,
            output: 0,
            dstAs: 0,
            proto: 0,
            tos: 0,
            nexthop: '0.0.0.0',
            tcpFlags: 0,
            ipFrom: '0.0.0.0',
            nfproviderId: 0,
            useFlags: 0,
            skip: false,
          },
        ],
      });
      const period = await core.tariffication.addPeriod({ start, type: PeriodType.MONTHLY });
      const accounts: number[] = [];
      const slinks: number[] = [];
      for (const [i, u] of users.entries()) {
        const svc = await core.tariffication.catalog.addService({
          name: `inet ${i}`,
          type: ServiceType.IPTRAFFIC,
          status: ServiceStatus.COMMON,
          cost: 0,
          method: ChargeMethod.AT_END,
        });
        await core.db.tx((trx) =>
          traffic.catalog.setIpTrafficParams(trx, svc, {
            resetPrepaid: false,
            aggregationInterval: 0,
            isDynamic: false,
            sessionsLimit: 0,
            groups: [],
            borders: [{ tclass: 1, size: 0, cost: Math.round(u.costPerMb * 1e6) }],
            prepaid: u.prepaidMb ? [{ tclass: 1, size: u.prepaidMb * MB, max: 0 }] : [],
          }),
        );
        const made = await core.billing.users.add(ACTOR, {
          login: `tuser${i}`,
          password: `tuser${i}`,
          profile: emptyProfile(810),
          params: [],
          groups: [],
          account: PLAIN_ACCOUNT,
        });
        slinks.push(
          await traffic.addLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period }, [
            { ip: u.ip, mask: 32 },
          ]),
        );
        accounts.push(made.accountId);
      }
      await traffic.catalog.editCollector(1, { commitInterval: 1, ...collector });
      await traffic.settled();
      return { accounts, slinks };
    },
    (config) => (config.test_clock ? new TestClock(start) : new SystemClock()),
  );
}

/** Reads from a stopped test core's database: bytes in the statistics, and each account's balance in units. */
export async function readTraffic(
  inst: CoreInstance,
  accounts: readonly number[],
): Promise<{ bytes: number; balances: number[]; charged: number }> {
  return withCore(inst, async (core) => {
    const b = await core.db.knex('traffic_stats').sum({ b: 'bytes' }).first();
    const c = await core.db.knex('account_ledger').where({ kind: 'charge' }).sum({ a: 'amount' }).first();
    const balances: number[] = [];
    for (const a of accounts) balances.push((await core.billing.accounts.get(a))!.balance / 1e6);
    return { bytes: Number(b?.b ?? 0), balances, charged: -Number(c?.a ?? 0) / 1e6 };
  });
}
