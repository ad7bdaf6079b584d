import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { openDatabase, verifyDatabase } from '@utm5/db';
import { onEveryBackend } from '@utm5/db/testing';
import { Billing } from '../billing/billing';
import { post } from '../billing/ledger';
import { BlockType } from '../billing/blocking/block-types';
import { emptyProfile } from '../billing/users/user-profile';
import { ReportRepo, SLOT } from './report-repo';

const T0 = 1_049_155_200; // 2003-04-01
const ADMIN = { id: -1, login: 'init' };
const ACCOUNT = {
  credit: 0,
  vatRateE6: 0,
  saleTaxRateE6: 0,
  intStatus: true,
  unlimited: false,
  autoEnableInet: true,
  externalId: '',
  isBlocked: 0,
};
const ANY = { userId: 0, accountId: 0, groupId: 0 };
const SPAN = { start: T0, end: T0 + 86400 };

onEveryBackend('report repository', (backend) => {
  test('every report query reads the rows of the accounts in scope, in the span, in order', async () => {
    const db = await openDatabase(backend().fresh('reports'));
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
    const r = new ReportRepo(db);
    try {
      await b.groups.add(1, 'transfers');
      await b.portal.transfers.add({ group_id: 1, priority: 1, is_enabled: true });
      const a = await b.users.add(ADMIN, {
        login: 'anna',
        password: 'pw',
        profile: { ...emptyProfile(810), full_name: 'Anna A' },
        params: [],
        groups: [1],
        account: { ...ACCOUNT, balance: 20_000_000 },
      });
      const a2 = await db.tx((trx) => b.accounts.create(trx, a.userId, { ...ACCOUNT, balance: 0 }, ADMIN));
      const o = await b.users.add(ADMIN, {
        login: 'oleg',
        password: 'pw',
        profile: emptyProfile(810),
        params: [],
        groups: [],
        account: { ...ACCOUNT, balance: 0 },
      });
      await clock.advance(60);
      const flow = await b.portal.transfer(ADMIN, a.userId, a.accountId, a2, 5_000_000);
      await b.payments.add(ADMIN, {
        accountId: o.accountId,
        amount: 30,
        currencyId: 810,
        paymentDate: clock.now(),
        burnDate: T0 + 30 * 86400,
        method: 1,
        adminComment: '',
        comment: '',
        extNumber: '',
        toInvoice: 0,
        turnOnInet: false,
      });
      const [serviceId] = await db.knex('services').insert({ name: 'Internet', service_type: 2, status: 0 });
      await clock.advance(60);
      await db.tx((trx) =>
        post(trx, {
          accountId: o.accountId,
          ts: clock.now(),
          kind: 'charge',
          amount: -2_200_000,
          tax: -200_000,
          serviceId: Number(serviceId),
          serviceType: 2,
          periodId: 7,
        }),
      );
      await b.locks.with(o.accountId, () =>
        db.tx((trx) => b.blocks.block(trx, o.accountId, BlockType.ADMIN, clock.now(), T0 + 3600, clock.now(), ADMIN)),
      );

      const ledger = await r.accountLedger(a.accountId, SPAN);
      assert.deepEqual(
        ledger.map((e) => [e.kind, e.amount, e.refType, e.refId]),
        [
          ['initial', 20_000_000, '', 0],
          ['transfer_out', -5_000_000, 'funds_flow', flow],
        ],
      );
      assert.deepEqual(await r.accountLedger(a.accountId, { start: T0 + 61, end: SPAN.end }), []);

      assert.deepEqual(await r.fundsFlow(SPAN, 0), [
        {
          id: flow,
          accountIdFrom: a.accountId,
          accountIdTo: a2,
          amount: 5_000_000,
          date: T0 + 60,
          userId: a.userId,
          login: 'anna',
          fullName: 'Anna A',
        },
      ]);
      assert.deepEqual(await r.fundsFlow(SPAN, o.userId), []);

      const moves = await r.ledgerEntries(ANY, SPAN, ['transfer_out', 'transfer_in', 'charge']);
      assert.deepEqual(
        moves.map((e) => [e.accountId, e.kind, e.amount, e.serviceName]),
        [
          [a.accountId, 'transfer_out', -5_000_000, ''],
          [a2, 'transfer_in', 5_000_000, ''],
          [o.accountId, 'charge', -2_200_000, 'Internet'],
        ],
      );
      assert.deepEqual(moves[2]!.tax, -200_000);
      assert.deepEqual([moves[2]!.periodId, moves[2]!.serviceType, moves[2]!.login], [7, 2, 'oleg']);
      assert.deepEqual(
        (await r.ledgerEntries({ ...ANY, groupId: 1 }, SPAN, ['charge', 'transfer_in'])).map((e) => e.accountId),
        [a2],
      );
      assert.deepEqual(await r.ledgerEntries({ ...ANY, userId: o.userId }, SPAN, ['transfer_in']), []);
      assert.deepEqual(
        (await r.ledgerEntries({ ...ANY, accountId: a2 }, SPAN, ['transfer_in', 'transfer_out'])).map((e) => e.kind),
        ['transfer_in'],
      );

      assert.deepEqual(await r.accounts({ ...ANY, groupId: 1 }), [
        { id: a.accountId, login: 'anna', fullName: 'Anna A' },
        { id: a2, login: 'anna', fullName: 'Anna A' },
      ]);
      const totals = (await r.ledgerTotals({ ...ANY, userId: a.userId }, { start: T0 + 30, end: SPAN.end }))
        .map((t) => [t.accountId, t.kind, t.early, t.amount])
        .sort((x, y) => Number(x[0]) - Number(y[0]) || String(x[1]).localeCompare(String(y[1])));
      assert.deepEqual(totals, [
        [a.accountId, 'initial', true, 20_000_000],
        [a.accountId, 'transfer_out', false, -5_000_000],
        [a2, 'transfer_in', false, 5_000_000],
      ]);

      const [pool] = await r.expiringPools(SPAN, 0);
      assert.deepEqual(pool, {
        accountId: o.accountId,
        login: 'oleg',
        firstPayment: T0 + 60,
        lastPayment: T0 + 60,
        burnDate: T0 + 30 * 86400,
        total: 30_000_000,
        charged: 2_200_000,
      });
      assert.deepEqual(await r.expiringPools(SPAN, a.userId), []);

      const blocks = await r.blocks(ANY, SPAN, true);
      assert.deepEqual(
        blocks.map((x) => [x.accountId, x.login, x.blockType, x.startDate, x.expireDate, x.isDeleted]),
        [[o.accountId, 'oleg', BlockType.ADMIN, T0 + 120, T0 + 3600, false]],
      );
      await b.accounts.setAdminBlock(ADMIN, o.accountId, false);
      assert.deepEqual(
        (await r.blocks(ANY, SPAN, true)).map((x) => x.isDeleted),
        [true],
      );
      assert.deepEqual(await r.blocks(ANY, SPAN, false), []);

      const slot = T0 + 3 * SLOT;
      await db.knex('traffic_stats').insert([
        {
          ts: slot + 10,
          account_id: a.accountId,
          slink_id: 1,
          tclass_id: 10,
          ip: '10.0.0.1',
          bytes: 1000,
          cost: 5,
          collector_id: 3,
        },
        {
          ts: slot + 70,
          account_id: a.accountId,
          slink_id: 1,
          tclass_id: 10,
          ip: '10.0.0.2',
          bytes: 500,
          cost: 1,
          collector_id: 0,
        },
        {
          ts: slot + SLOT,
          account_id: a.accountId,
          slink_id: 1,
          tclass_id: 10,
          ip: '10.0.0.1',
          bytes: 7,
          cost: 0,
          collector_id: 3,
        },
        {
          ts: slot,
          account_id: o.accountId,
          slink_id: 2,
          tclass_id: 11,
          ip: '10.0.0.9',
          bytes: 3,
          cost: 0,
          collector_id: 3,
        },
      ]);
      const sorted = <T extends { accountId: number; key: number | string }>(xs: T[]) =>
        xs.sort((x, y) => x.accountId - y.accountId || String(x.key).localeCompare(String(y.key)));
      assert.deepEqual(sorted(await r.trafficSums({ ...ANY, groupId: 1 }, { ...SPAN, collector: 0 }, 'slot')), [
        { accountId: a.accountId, login: 'anna', tclass: 10, key: slot, bytes: 1500, cost: 6 },
        { accountId: a.accountId, login: 'anna', tclass: 10, key: slot + SLOT, bytes: 7, cost: 0 },
      ]);
      assert.deepEqual(
        sorted(await r.trafficSums(ANY, { ...SPAN, collector: 3 }, 'ip')).map((s) => [s.accountId, s.key, s.bytes]),
        [
          [a.accountId, '10.0.0.1', 1007],
          [o.accountId, '10.0.0.9', 3],
        ],
      );
      assert.deepEqual(
        (await r.trafficSums(ANY, { start: slot, end: slot + SLOT, collector: 0 }, 'none'))
          .map((s) => [s.accountId, s.key, s.bytes])
          .sort(),
        [
          [a.accountId, 0, 1500],
          [o.accountId, 0, 3],
        ].sort(),
      );

      // One insert each: a multi-row insert would give the missing columns NULL, not their defaults.
      for (const row of [
        {
          nas_ip: '192.0.2.1',
          acct_session_id: 's2',
          login: 'oleg-ppp',
          account_id: o.accountId,
          slink_id: 2,
          service_type: 5,
          framed_ip: '10.1.0.2',
          started_at: T0 + 200,
          updated_at: T0 + 260,
          in_octets: 2 ** 32 + 5,
          charged: 1_500_000,
          terminate_cause: '1',
          stopped_at: T0 + 260,
          acct_status: 2,
        },
        {
          nas_ip: '192.0.2.1',
          acct_session_id: 's1',
          login: 'anna-ppp',
          account_id: a.accountId,
          started_at: T0 + 100,
          updated_at: T0 + 100,
        },
        {
          nas_ip: '192.0.2.1',
          acct_session_id: 's0',
          login: 'early',
          account_id: a.accountId,
          started_at: T0 - 1,
          updated_at: T0,
        },
      ])
        await db.knex('radius_sessions').insert(row);
      const sessions = await r.sessions(ANY, SPAN);
      assert.deepEqual(
        sessions.map((x) => [x.accountId, x.acctSessionId, x.userName]),
        [
          [a.accountId, 's1', 'anna-ppp'],
          [o.accountId, 's2', 'oleg-ppp'],
        ],
      );
      const s2 = sessions[1]!;
      assert.deepEqual(
        [
          s2.slinkId,
          s2.serviceType,
          s2.framedIp,
          s2.inOctets,
          s2.charged,
          s2.terminateCause,
          s2.stoppedAt,
          s2.acctStatus,
          s2.nasIp,
        ],
        [2, 5, '10.1.0.2', 2 ** 32 + 5, 1_500_000, '1', T0 + 260, 2, '192.0.2.1'],
      );
      assert.deepEqual(
        (await r.sessions({ ...ANY, accountId: o.accountId }, SPAN)).map((x) => x.acctSessionId),
        ['s2'],
      );
    } finally {
      await b.stop();
      await db.close();
    }
  });
});
