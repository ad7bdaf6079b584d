import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { openDatabase, verifyDatabase, RATE_SCALE } from '@utm5/db';
import { onEveryBackend } from '@utm5/db/testing';
import { Billing } from './billing';
import { post, rebuild } from './ledger';
import { BlockType } from './blocking/block-types';
import { emptyProfile } from './users/user-profile';

const OPS = Number(process.env['UTM5_LEDGER_OPS'] ?? 10_000);
const T0 = 1_049_155_200; // 2003-04-01

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return { int: (n: number) => next() % n, pick: <T>(a: readonly T[]) => a[next() % a.length]! };
}

onEveryBackend('ledger consistency', (backend) => {
  test(`balances and credits equal the ledger after ${OPS} random operations`, async () => {
    const db = await openDatabase(backend().fresh('ledger'));
    await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
    const clock = new TestClock(T0);
    const params: Record<string, string> = { system_currency: '810', card_user_prefix: 'card_' };
    const b = new Billing({
      db,
      secrets: SecretBox.fromKeyFile(join(mkdtempSync(join(tmpdir(), 'k-')), 'k')),
      clock,
      log: nullLogger,
      param: (n) => params[n],
    });
    await b.start();
    const seed = Number(process.env['UTM5_LEDGER_SEED'] ?? 4242);
    const r = rng(seed);
    const admin = { id: -1, login: 'init' };
    try {
      await db
        .knex('currencies')
        .insert({ id: 840, short_name: 'USD', full_name: 'US dollar', rate_e9: 30 * RATE_SCALE, percent_e6: 0 });
      await db
        .knex('currency_rate_history')
        .insert({ currency_id: 840, valid_from: 0, rate_e9: 30 * RATE_SCALE, percent_e6: 0 });
      await b.groups.add(1, 'everyone');
      await b.portal.transfers.add({ group_id: 1, priority: 1, is_enabled: true });
      const users: { id: number; accounts: number[] }[] = [];
      const payments: number[] = [];
      const counts: Record<string, number> = {};
      const newUser = async () => {
        const res = await b.users.add(admin, {
          login: `u${users.length}`,
          password: 'pw',
          profile: emptyProfile(810),
          params: [],
          groups: [1],
          account: {
            balance: (r.int(200) - 50) * 1_000_000,
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
        users.push({ id: res.userId, accounts: [res.accountId] });
      };
      for (let i = 0; i < 5; i++) await newUser();
      for (let i = 0; i < OPS; i++) {
        const u = r.pick(users);
        const acc = r.pick(u.accounts);
        const now = clock.now();
        const op = r.pick([
          'pay',
          'pay',
          'pay',
          'pay_usd',
          'expiring',
          'credit',
          'rollback',
          'transfer',
          'charge',
          'charge',
          'credit_set',
          'block',
          'unblock',
          'advance',
          'advance',
          'user',
          'account',
          'duplicate',
        ] as const);
        counts[op] = (counts[op] ?? 0) + 1;
        try {
          switch (op) {
            case 'pay':
            case 'pay_usd':
            case 'expiring':
            case 'credit':
            case 'duplicate': {
              const res = await b.payments.add(admin, {
                accountId: acc,
                amount: (1 + r.int(5000)) / 100,
                currencyId: op === 'pay_usd' ? 840 : 810,
                paymentDate: now,
                burnDate: op === 'expiring' || op === 'credit' ? now + 3600 * (1 + r.int(240)) : 0,
                method: op === 'credit' ? 4 : 1,
                adminComment: '',
                comment: '',
                extNumber: op === 'duplicate' ? `ext-${r.int(50)}` : '',
                toInvoice: 0,
                turnOnInet: r.int(2) === 0,
              });
              if (!res.duplicate && (op === 'pay' || op === 'pay_usd')) payments.push(res.id);
              break;
            }
            case 'rollback':
              if (payments.length) await b.payments.rollback(admin, r.pick(payments), '', '');
              break;
            case 'transfer':
              if (u.accounts.length > 1) {
                const to = u.accounts.find((x) => x !== acc)!;
                await b.portal.transfer(admin, u.id, acc, to, (1 + r.int(3000)) * 10_000);
              }
              break;
            case 'charge':
              // What services will charge (billing engine II): a ledger charge, then the funds rule.
              await b.locks.with(acc, () =>
                db.tx(async (trx) => {
                  await post(trx, { accountId: acc, ts: now, kind: 'charge', amount: -(1 + r.int(4000)) * 10_000 });
                  await b.blocks.checkFunds(trx, acc, now, { payment: false });
                }),
              );
              break;
            case 'credit_set': {
              const cur = (await b.accounts.get(acc))!;
              await b.accounts.save(admin, acc, {
                credit: r.int(100) * 1_000_000,
                isBlocked: 8192,
                blockStart: 0,
                blockEnd: 0,
                vatRateE6: 0,
                saleTaxRateE6: 0,
                intStatus: cur.intStatus,
                unlimited: false,
                autoEnableInet: true,
                externalId: '',
                irdetoCard: '',
                irdetoStb: '',
              });
              break;
            }
            case 'block':
              await b.locks.with(acc, () =>
                db.tx((trx) =>
                  b.blocks.block(
                    trx,
                    acc,
                    r.pick([BlockType.ADMIN, BlockType.USER]),
                    now + r.int(2) * 3600,
                    now + 3600 * (1 + r.int(48)),
                    now,
                    admin,
                  ),
                ),
              );
              break;
            case 'unblock':
              await b.accounts.setAdminBlock(admin, acc, false);
              break;
            case 'advance':
              await clock.advance(60 * (1 + r.int(24 * 60)));
              break;
            case 'user':
              if (users.length < 60) await newUser();
              break;
            case 'account':
              if (u.accounts.length < 3) {
                u.accounts.push(
                  await db.tx((trx) =>
                    b.accounts.create(
                      trx,
                      u.id,
                      {
                        balance: 0,
                        credit: 0,
                        vatRateE6: 0,
                        saleTaxRateE6: 0,
                        intStatus: true,
                        unlimited: false,
                        autoEnableInet: true,
                        externalId: '',
                        isBlocked: 0,
                      },
                      admin,
                    ),
                  ),
                );
              }
              break;
          }
        } catch (err) {
          // Refusals (rollback of a rolled-back payment, a transfer without funds ...) are part of the mix.
          if (!(err as { code?: string }).code?.startsWith('UTM_')) throw err;
        }
      }
      await clock.advance(400 * 86400); // every burn, expiry and block end falls due
      const fromLedger = await rebuild(db.knex);
      const accounts: { id: number; balance: number; credit: number; block_type: number }[] = await db
        .knex('accounts')
        .select('id', 'balance', 'credit', 'block_type');
      assert.ok(accounts.length >= 5);
      for (const a of accounts) {
        const l = fromLedger.get(Number(a.id)) ?? { balance: 0, credit: 0 };
        assert.equal(Number(a.balance), l.balance, `account ${a.id} balance equals its ledger (seed ${seed})`);
        assert.equal(Number(a.credit), l.credit, `account ${a.id} credit equals its ledger (seed ${seed})`);
        if (Number(a.balance) + Number(a.credit) < 0)
          assert.notEqual(Number(a.block_type), 0, `account ${a.id} has negative funds and is not blocked`);
      }
      const [{ n }] = await db.knex('expiring_pools').count({ n: '*' });
      assert.equal(Number(n), 0, 'every expiring pool burnt');
      const [{ c }] = await db
        .knex('payment_transactions')
        .whereIn('kind', ['credit'])
        .andWhere({ burnt: false })
        .count({ c: '*' });
      assert.equal(Number(c), 0, 'every credit payment expired');
      process.stdout.write(`ledger consistency [${backend().name}]: ${OPS} operations ${JSON.stringify(counts)}\n`);
    } finally {
      await b.stop();
      await db.close();
    }
  });
});
