import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { tempDir } from '@utm5/common/testing';
import { RATE_SCALE, openDatabase, verifyDatabase, type Database, type DbSettings } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import { Billing } from '../billing/billing';
import { emptyProfile } from '../billing/users/user-profile';
import type { NewAccount } from '../billing/accounts/account-service';
import type { CardTariffs } from '../billing/cards/card-service';

export const T0 = 1_049_155_200; // 2003-04-01 00:00 UTC
export const DAY = 86400;
export const ADMIN = { id: -1, login: 'init' };
export const M = (units: number) => Math.round(units * 1_000_000);

export const ACCOUNT: NewAccount = {
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

/**
 * A Billing on a fresh database (SQLite unless `db` names another) with the test clock at 2003-04-01, for scenario
 * tests. `cardTariffs` is BillingDeps.cardTariffs (tarifFixture passes its Tariffication's).
 */
export async function billingFixture(opts: { cardTariffs?: () => CardTariffs | undefined; db?: DbSettings } = {}) {
  const t = tempDir();
  const db: Database = await openDatabase(opts.db ?? sqliteSettings(join(t.dir, 'b.db')));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const clock = new TestClock(T0);
  const params: Record<string, string> = { system_currency: '810', card_user_prefix: 'card_' };
  const b = new Billing({
    db,
    secrets: SecretBox.fromKeyFile(join(t.dir, 'key')),
    clock,
    log: nullLogger,
    param: (n) => params[n],
    cardTariffs: opts.cardTariffs,
  });
  await b.start();
  let n = 0;
  return {
    b,
    db,
    clock,
    async user(account: Partial<NewAccount> = {}, groups: number[] = []) {
      n++;
      return b.users.add(ADMIN, {
        login: `user${n}`,
        password: `pw${n}`,
        profile: emptyProfile(810),
        params: [],
        groups,
        account: { ...ACCOUNT, ...account },
      });
    },
    async pay(accountId: number, amount: number, more: Partial<Parameters<Billing['payments']['add']>[1]> = {}) {
      return b.payments.add(ADMIN, {
        accountId,
        amount,
        currencyId: 810,
        paymentDate: clock.now(),
        burnDate: 0,
        method: 1,
        adminComment: '',
        comment: '',
        extNumber: '',
        toInvoice: 0,
        turnOnInet: false,
        ...more,
      });
    },
    async account(id: number) {
      return (await b.accounts.get(id))!;
    },
    async usd(rate: number, from: number) {
      const exists = await db.knex('currencies').where({ id: 840 }).first();
      await b.currencies.save(
        { id: 840, shortName: 'USD', fullName: 'US dollar', rateE9: rate * RATE_SCALE, percentE6: 0 },
        from,
        !exists,
      );
    },
    async done() {
      await b.stop();
      await db.close();
      t.cleanup();
    },
  };
}
