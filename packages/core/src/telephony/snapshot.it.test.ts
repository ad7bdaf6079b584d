import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from '@utm5/db/testing';
import { M } from '../testing/billing-fixture';
import { call, telFixture } from '../testing/tel-fixture';

onEveryBackend('telephony snapshot loader', (backend) => {
  test('zones, live directions, tariffs with prices, borders, prepaid and emergency zones, live links and numbers', async () => {
    const f = await telFixture(backend(), 'tel_snapshot');
    try {
      const day = await f.range('day', 2);
      const all = await f.range('all', 1);
      const z = await f.zone('mobile', 3);
      const d1 = await f.direction({ zoneId: z, called: '7' });
      const gone = await f.direction({ called: '8' });
      await f.k('tel_directions').where({ id: gone }).update({ is_deleted: true });
      const svc = await f.service({
        freeTime: 3,
        firstPeriodLength: 60,
        firstPeriodStep: 60,
        secondPeriodStep: 6,
        unitSize: 30,
        discountFreeTime: true,
        minimumCharge: M(5),
        classes: [
          {
            tariffClass: z,
            prices: [
              { rangeId: all, price: M(1) },
              { rangeId: day, price: M(2) },
            ],
            borders: [
              { border: 600, mult: 0.5 },
              { border: 60, mult: 0.9 },
            ],
            prepaid: 120,
            fixedCost: 10_000,
          },
          { tariffClass: -d1, prices: [{ rangeId: all, price: M(3) }] },
        ],
      });
      await f.k('tel_emergency').insert({ service_id: svc, zone_id: z });
      const live = await f.link(svc, [{ number: '1001' }, { number: '77#' }]);
      const dead = await f.link(svc, [{ number: '2002' }]);
      await f.k('service_links').where({ id: dead.slinkId }).update({ is_deleted: true });

      const s = await f.reload();
      assert.deepEqual([...s.zones.values()], [{ id: z, name: 'mobile', type: 3 }]);
      assert.deepEqual(
        s.directions.directions.map((d) => [d.id, d.zoneId, d.calledPrefix]),
        [[d1, z, '7']],
      );
      const t = s.tariffs.get(svc)!;
      assert.deepEqual(
        [t.freeTime, t.firstPeriodLength, t.firstPeriodStep, t.secondPeriodStep, t.unitSize, t.discountFreeTime],
        [3, 60, 60, 6, 30, true],
      );
      assert.equal(t.minimumCharge, M(5));
      assert.deepEqual([...t.emergencyZones], [z]);
      const c = t.classes.get(z)!;
      assert.deepEqual(
        c.prices
          .map((p) => [p.range.id, p.range.priority, p.range.entries.length, p.price])
          .sort((a, b) => a[0]! - b[0]!),
        [
          [day, 2, 1, M(2)],
          [all, 1, 1, M(1)],
        ].sort((a, b) => a[0]! - b[0]!),
      );
      assert.deepEqual(c.borders, [
        { border: 60, mult: 0.9 },
        { border: 600, mult: 0.5 },
      ]);
      assert.deepEqual([c.prepaid, c.fixedCost], [120, 10_000]);
      assert.equal(t.classes.get(-d1)?.prices[0]?.price, M(3));
      assert.deepEqual([...s.links.keys()], [live.slinkId]);
      assert.deepEqual(s.links.get(live.slinkId), {
        slinkId: live.slinkId,
        accountId: live.accountId,
        serviceId: svc,
        periodId: f.period,
      });
      assert.deepEqual(
        s.numbers.map((n) => n.number),
        ['1001', '77#'],
      );
      assert.equal(s.index.find(call({ calling: '1001', called: '7' }))?.entry.slinkId, live.slinkId);
      assert.equal(s.index.find(call({ calling: '2002', called: '7' })), undefined, 'a deleted link has no numbers');
    } finally {
      await f.done();
    }
  });
});
