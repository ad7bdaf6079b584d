import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { openDatabase, verifyDatabase } from '@utm5/db';
import { onEveryBackend, type Backend } from '@utm5/db/testing';
import { Billing } from '../billing/billing';
import { emptyProfile } from '../billing/users/user-profile';
import { ACCOUNT, ADMIN, M, T0 } from '../testing/billing-fixture';
import { Tariffication } from '../tariffication/engine';
import { ServiceStatus, ServiceType } from '../tariffication/model';
import { PeriodType } from '../tariffication/period-calendar';
import { TelCatalog, type TelNumberDef } from './catalog';

async function setup(backend: Backend, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-telcat-'));
  const db = await openDatabase(backend.fresh(name));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const clock = new TestClock(T0);
  const params: Record<string, string> = { system_currency: '810' };
  const secrets = SecretBox.fromKeyFile(join(dir, 'key'));
  const b = new Billing({ db, secrets, clock, log: nullLogger, param: (n) => params[n] });
  await b.start();
  const t = new Tariffication({
    db,
    billing: b,
    clock,
    timezone: () => 'UTC',
    log: nullLogger,
    param: (n) => params[n],
  });
  await t.start();
  let changes = 0;
  const cat = new TelCatalog({ db, secrets, clock, tariffication: t, changed: () => changes++ });
  t.linkHooks.push(cat.linkHook);
  return {
    db,
    t,
    cat,
    changes: () => changes,
    account: async (login: string) =>
      (
        await b.users.add(ADMIN, {
          login,
          password: 'pw',
          profile: emptyProfile(810),
          params: [],
          groups: [],
          account: { ...ACCOUNT, balance: M(1000) },
        })
      ).accountId,
    async done() {
      await t.stop();
      await b.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const dir = (name: string, zoneId: number, calledPrefix: string) => ({
  zoneId,
  name,
  calledPrefix,
  callingPrefix: '',
  calledRegexp: false,
  callingRegexp: false,
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  skip: false,
  dirType: 0,
});

const num = (number: string, login = '', password = ''): TelNumberDef => ({
  login,
  number,
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  password,
  allowedCid: '',
});

const tariff = (classes: number[]) => ({
  freeTime: 3,
  firstPeriodLength: 60,
  firstPeriodStep: 30,
  secondPeriodStep: 6,
  unitSize: 60,
  discountFreeTime: false,
  minimumCharge: M(5),
  maxSessions: 2,
  classes: classes.map((c) => ({ tariffClass: c, borders: [], prices: [], prepaid: 0, fixedCost: 0 })),
});

onEveryBackend('telephony catalog', (backend) => {
  test('zones, directions, services, links and numbers: writes, refusals, audit', async () => {
    const f = await setup(backend(), 'telcat');
    try {
      const z = await f.cat.addZone(ADMIN, { name: 'Moscow', type: 2 });
      await assert.rejects(f.cat.addZone(ADMIN, { name: 'x', type: 7 }), /zone_type 7 must be/);
      const d1 = await f.cat.addDirection(ADMIN, dir('Moscow city', z, '7495'));
      const d2 = await f.cat.addDirection(ADMIN, { ...dir('Moscow mobile', z, '79[0-9]+'), calledRegexp: true });
      await assert.rejects(
        f.cat.addDirection(ADMIN, { ...dir('bad', z, '7('), calledRegexp: true }),
        /not a usable regular/,
      );
      await assert.rejects(f.cat.addDirection(ADMIN, dir('twin', z, '7495')), /has the same prefixes/);
      await assert.rejects(f.cat.addDirection(ADMIN, dir('nozone', 99, '1')), /no telephone zone 99/);
      assert.equal((await f.cat.direction(d1))?.dirType, 2, "a direction takes its zone's type");
      await f.cat.editZone(ADMIN, z, { name: 'Moscow', type: 1 });
      assert.equal((await f.cat.direction(d2))?.dirType, 1);
      assert.deepEqual(
        (await f.cat.zone(z))?.directions.map((d) => d.id),
        [d1, d2],
      );
      assert.deepEqual(
        (
          await f.cat.searchDirections({ any: false, params: [{ field: 5, criteria: 1, value: '7495%' }], skipIds: [] })
        ).map((d) => d.id),
        [d1],
      );
      assert.equal(await f.cat.directionCount([d1]), 1);

      const range = await f.t.catalog.saveTimeRange(0, 'all', 1, [], []);
      const row = {
        name: 'Tel',
        type: ServiceType.TELEPHONY,
        status: ServiceStatus.COMMON,
        cost: M(1),
      };
      await assert.rejects(f.cat.saveService(ADMIN, undefined, row, tariff([])), /at least one tariff class/);
      await assert.rejects(f.cat.saveService(ADMIN, undefined, row, { ...tariff([z]), unitSize: 0 }), /time_unit_size/);
      await assert.rejects(f.cat.saveService(ADMIN, undefined, row, tariff([-999])), /no telephone direction 999/);
      const def = tariff([z, -d1]);
      const full = {
        ...def,
        classes: [
          {
            ...def.classes[0]!,
            borders: [{ border: 600, mult: 0.85 }],
            prices: [{ rangeId: range, price: M(1.5) }],
            prepaid: 60,
            fixedCost: M(0.1),
          },
          { ...def.classes[1]!, prices: [{ rangeId: range, price: M(0.7) }] },
        ],
      };
      const sid = await f.cat.saveService(ADMIN, undefined, row, full);
      assert.deepEqual(await f.cat.service(sid), full);
      await assert.rejects(f.cat.removeZone(ADMIN, z), /priced by telephony service/);
      await assert.rejects(f.cat.removeDirection(ADMIN, d1), /priced by telephony service/);
      await f.cat.setEmergency(ADMIN, sid, [z]);
      assert.deepEqual([...(await f.cat.emergency()).entries()], [[sid, [z]]]);

      const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
      const a1 = await f.account('u1');
      const a2 = await f.account('u2');
      const l1 = await f.cat.addLink(ADMIN, { accountId: a1, serviceId: sid, periodId: period }, [
        num('74951234567', 'acc1', 'secret'),
        num('555#'),
      ]);
      await assert.rejects(
        f.cat.addLink(ADMIN, { accountId: a2, serviceId: sid, periodId: period }, [num('74951234567')]),
        /belongs to service link/,
      );
      await assert.rejects(
        f.cat.addLink(ADMIN, { accountId: a2, serviceId: sid, periodId: period }, [num('1', 'acc1')]),
        /login 'acc1' belongs/,
      );
      await assert.rejects(
        f.cat.addLink(ADMIN, { accountId: a2, serviceId: sid, periodId: period }, [num('5#5')]),
        /'#' may only end a number/,
      );
      assert.equal(
        await f.cat.isNumberUsed(0, '', { number: '74951234567', incomingTrunk: '', outgoingTrunk: '', pbxId: '' }),
        true,
      );
      assert.equal(
        await f.cat.isNumberUsed(l1, '', { number: '74951234567', incomingTrunk: '', outgoingTrunk: '', pbxId: '' }),
        false,
      );
      assert.equal((await f.cat.linkNumbers(l1))[0]?.password, 'secret');
      const sealed = await f.db.knex('tel_numbers').where({ slink_id: l1, login: 'acc1' }).first('password');
      assert.notEqual(sealed.password, 'secret', 'the password is stored sealed');
      assert.deepEqual(
        (await f.cat.numbers()).map((n) => [n.number, n.password]),
        [
          ['74951234567', ''],
          ['555#', ''],
        ],
      );

      await f.cat.editLink(
        ADMIN,
        l1,
        { startDate: T0, expireDate: 2000000000, policyId: 0, costCoefE6: 1_000_000, houseId: 0, comment: '' },
        [num('74951111111')],
      );
      assert.deepEqual(
        (await f.cat.linkNumbers(l1)).map((n) => n.number),
        ['74951111111'],
      );
      const before = f.changes();
      await f.t.deleteLink(ADMIN, l1);
      await new Promise((r) => setImmediate(r));
      assert.ok(f.changes() > before, 'removing a link rebuilds the snapshot');
      assert.equal(
        await f.cat.isNumberUsed(0, '', { number: '74951111111', incomingTrunk: '', outgoingTrunk: '', pbxId: '' }),
        false,
      );
      await f.cat.addLink(ADMIN, { accountId: a2, serviceId: sid, periodId: period }, [num('74951111111')]);

      const log = (await f.db.knex('user_log').orderBy('id').select('action')).map((r) => String(r.action));
      for (const a of [
        'tel_zone_add',
        'tel_zone_change',
        'tel_dir_add',
        'tel_service_add',
        'tel_emergency_set',
        'tel_numbers_set',
      ])
        assert.ok(log.includes(a), `audit row ${a}`);
    } finally {
      await f.done();
    }
  });
});
