import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, T0 } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { PeriodType } from '../tariffication/period-calendar';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { TrafficCatalog } from './catalog';

/** An IP traffic link with login 'ann', a second one with 'bob', and a dial-up link, on their own accounts. */
async function setup() {
  const f = await tarifFixture();
  const catalog = new TrafficCatalog(f.db, () => undefined);
  const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
  const service = (type: number) =>
    f.t.catalog.addService({
      name: `s${type}`,
      type,
      status: ServiceStatus.COMMON,
      cost: 0,
      method: ChargeMethod.AT_END,
    });
  const inet = await service(ServiceType.IPTRAFFIC);
  await f.db.tx((trx) =>
    catalog.setIpTrafficParams(trx, inet, {
      resetPrepaid: false,
      aggregationInterval: 0,
      isDynamic: false,
      sessionsLimit: 0,
      borders: [],
      prepaid: [],
      groups: [],
    }),
  );
  const link = async (serviceId: number, ip: string, login: string) => {
    const { accountId } = await f.user();
    const slink = await f.t.addPeriodicLink(ADMIN, { accountId, serviceId, periodId: period }, (trx, id) =>
      serviceId === inet ? catalog.setIpGroups(trx, id, [{ ip, mask: 32, login }]) : Promise.resolve(),
    );
    return { accountId, slink };
  };
  const ann = await link(inet, '10.0.0.1', 'ann');
  const bob = await link(inet, '10.0.0.2', 'bob');
  const dial = await link(await service(ServiceType.DIALUP), '', '');
  return { f, catalog, ann, bob, dial };
}

test('ipGroupsByLogin: the IP groups of live IP traffic links with these logins', async () => {
  const { f, catalog, ann, bob } = await setup();
  try {
    assert.deepEqual(await catalog.ipGroupsByLogin(['ann', 'nobody']), [
      { login: 'ann', slinkId: ann.slink, accountId: ann.accountId, ip: '10.0.0.1' },
    ]);
    assert.deepEqual(await catalog.ipGroupsByLogin([]), []);
    await f.t.deleteLink(ADMIN, bob.slink);
    assert.deepEqual(await catalog.ipGroupsByLogin(['bob']), [], 'a deleted link names no owner');
  } finally {
    await f.done();
  }
});

test('ipTrafficLink: a live link of an IP traffic service, nothing for other types or deleted links', async () => {
  const { f, catalog, ann, dial } = await setup();
  try {
    const l = await catalog.ipTrafficLink(ann.slink);
    assert.equal(l?.id, ann.slink);
    assert.equal(l?.accountId, ann.accountId);
    assert.equal(await catalog.ipTrafficLink(dial.slink), undefined);
    assert.equal(await catalog.ipTrafficLink(999), undefined);
    await f.t.deleteLink(ADMIN, ann.slink);
    assert.equal(await catalog.ipTrafficLink(ann.slink), undefined);
  } finally {
    await f.done();
  }
});
