import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SecretBox } from '@utm5/common';
import { tempDir } from '@utm5/common/testing';
import { ADMIN, T0 } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { PeriodType } from '../tariffication/period-calendar';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { RadiusCatalog } from './catalog';

async function fixture() {
  const f = await tarifFixture();
  const keys = tempDir();
  let changed = 0;
  const catalog = new RadiusCatalog(f.db, SecretBox.fromKeyFile(join(keys.dir, 'key')), () => {
    changed++;
  });
  const hotspot = await f.t.catalog.addService({
    name: 'hotspot',
    type: ServiceType.HOTSPOT,
    status: ServiceStatus.COMMON,
    cost: 0,
    method: ChargeMethod.AT_END,
  });
  const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
  return {
    ...f,
    catalog,
    hotspot,
    period,
    get changed() {
      return changed;
    },
    async close() {
      await f.done();
      keys.cleanup();
    },
  };
}

test("setTimeServicePart writes the dial-up part and a hotspot's networks in the caller's transaction; setHotspotNetworks replaces them", async () => {
  const f = await fixture();
  try {
    const p = { poolName: '', maxSessions: 2, isDynamic: false, prices: [] };
    await f.db.tx((trx) => f.catalog.setTimeServicePart(trx, f.hotspot, p, [{ ip: '10.1.2.3', mask: 24 }]));
    assert.equal((await f.catalog.dialupParams(f.hotspot))?.maxSessions, 2);
    assert.deepEqual(await f.catalog.hotspotNetworks(f.hotspot), [{ ip: '10.1.2.0', mask: 24 }]);
    await assert.rejects(
      f.db.tx((trx) =>
        f.catalog.setTimeServicePart(trx, f.hotspot, { ...p, maxSessions: 5 }, [{ ip: 'nope', mask: 8 }]),
      ),
    );
    assert.equal((await f.catalog.dialupParams(f.hotspot))?.maxSessions, 2, 'a refused network undoes the part');
    await f.db.tx((trx) => f.catalog.setTimeServicePart(trx, f.hotspot, p));
    assert.equal((await f.catalog.hotspotNetworks(f.hotspot)).length, 1, 'without networks they stay as they are');
    const before = f.changed;
    await f.catalog.setHotspotNetworks(f.hotspot, [
      { ip: '192.168.0.0', mask: 16 },
      { ip: '10.0.0.0', mask: 8 },
    ]);
    assert.deepEqual(await f.catalog.hotspotNetworks(f.hotspot), [
      { ip: '10.0.0.0', mask: 8 },
      { ip: '192.168.0.0', mask: 16 },
    ]);
    assert.ok(f.changed > before, 'utm5_radius is told');
    await f.catalog.setHotspotNetworks(f.hotspot, []);
    assert.deepEqual(await f.catalog.hotspotNetworks(f.hotspot), []);
    assert.deepEqual(await f.catalog.hotspotNetworks(999), []);
  } finally {
    await f.close();
  }
});

test('serviceLink: a link in force of any type, nothing once deleted', async () => {
  const f = await fixture();
  try {
    const { accountId } = await f.user();
    const slink = await f.t.addPeriodicLink(ADMIN, { accountId, serviceId: f.hotspot, periodId: f.period });
    const l = await f.catalog.serviceLink(slink);
    assert.equal(l?.serviceId, f.hotspot);
    assert.equal(l?.accountId, accountId);
    assert.equal(await f.catalog.serviceLink(999), undefined);
    await f.t.deleteLink(ADMIN, slink);
    assert.equal(await f.catalog.serviceLink(slink), undefined);
  } finally {
    await f.close();
  }
});
