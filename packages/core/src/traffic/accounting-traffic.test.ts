import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '@utm5/common';
import type { SessionEventWire } from '@utm5/protocol';
import { ADMIN, M, T0 } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { PeriodType } from '../tariffication/period-calendar';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { RadiusSessions } from '../radius/sessions';
import { AccountingTraffic } from './accounting-traffic';
import { TrafficBilling } from './billing';
import { TrafficCatalog } from './catalog';
import { TrafficModule } from './traffic-module';

const MB = 1024 * 1024;
const NAS = '192.0.2.1';
const ANY = {
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
};

/**
 * The core's side without processes: session events as utm5_radius sends them applied by RadiusSessions (as the
 * Stream record handler does, one transaction per batch), the traffic priced at 10 per MB (every charge is over the
 * minimal traffic charge, so the ledger shows each at once).
 */
async function setup() {
  const params: Record<string, string> = {
    min_traffic_charge: '5',
    traffic_aggregation_timeout: '900',
    bytes_in_kbyte: '1024',
  };
  const f = await tarifFixture(params);
  const catalog = new TrafficCatalog(f.db, () => undefined);
  const billing = new TrafficBilling(f.db, f.b, f.t.charger, catalog, f.clock, nullLogger, (n) => params[n]);
  f.t.linkHooks.push(billing);
  const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
  await catalog.addTclass({ id: 1, name: 'All', subclasses: [ANY] });
  const svc = await f.t.catalog.addService({
    name: 'inet',
    type: ServiceType.IPTRAFFIC,
    status: ServiceStatus.COMMON,
    cost: 0,
    method: ChargeMethod.AT_END,
  });
  await f.db.tx((trx) =>
    catalog.setIpTrafficParams(trx, svc, {
      resetPrepaid: false,
      aggregationInterval: 0,
      isDynamic: false,
      sessionsLimit: 0,
      groups: [],
      prepaid: [],
      borders: [{ tclass: 1, size: 0, cost: M(10) }],
    }),
  );
  const u = await f.user();
  const slink = await f.t.addPeriodicLink(
    ADMIN,
    { accountId: u.accountId, serviceId: svc, periodId: period },
    (trx, id) => catalog.setIpGroups(trx, id, [{ ip: '10.0.0.7', mask: 32 }]),
  );
  const traffic = new AccountingTraffic(billing, nullLogger, (r, ms) => TrafficModule.inRange(r, ms));
  traffic.apply({ tclasses: await catalog.tclassItems('UTC'), ip_groups: await catalog.ipGroupItems() });
  const sessions = new RadiusSessions(f.t.charger, () => ({ prices: [], tz: 'UTC' }), nullLogger, traffic);
  const batch = (items: readonly unknown[]) => f.db.tx((trx) => sessions.apply(trx, items, f.clock.now()));
  const stats = async () => {
    const rows: Record<string, unknown>[] = await f.db.knex('traffic_stats').orderBy('id');
    return rows.map((r) => ({
      slink: Number(r['slink_id']),
      ip: String(r['ip']),
      bytes: Number(r['bytes']),
      collector: Number(r['collector_id']),
    }));
  };
  return { f, slink, accountId: u.accountId, traffic, batch, stats };
}

function ev(
  op: SessionEventWire['op'],
  inMb: number,
  outMb: number,
  more: Partial<SessionEventWire> = {},
): SessionEventWire {
  return {
    op,
    nas: NAS,
    sid: 'sess-1',
    login: 'vpn',
    slinkId: 0,
    accountId: 0,
    serviceType: 3,
    framedIp: '10.0.0.7',
    calling: '',
    called: '',
    time: T0 + 60,
    duration: 60,
    inOctets: inMb * MB,
    outOctets: outMb * MB,
    cause: '',
    ...(op === 'start' ? {} : { billTraffic: true }),
    ...more,
  };
}

test('Interim-Updates and the Stop bill the growth of the counters: 10 MB charged once, as two records per request in traffic_stats', async () => {
  const s = await setup();
  try {
    await s.batch([ev('start', 0, 0), ev('interim', 3, 0)]);
    await s.batch([ev('interim', 5, 0)]);
    await s.batch([ev('stop', 8, 2)]);
    // Repeated Stop (the NAS did not get our answer and used a new identifier) and a late Interim: nothing more.
    await s.batch([ev('stop', 8, 2), ev('interim', 6, 1)]);
    assert.equal(await s.f.balance(s.accountId), -100, '10 MB at 10 per MB');
    const stats = await s.stats();
    assert.equal(
      stats.reduce((n, r) => n + r.bytes, 0),
      10 * MB,
    );
    assert.ok(
      stats.every((r) => r.slink === s.slink && r.ip === '10.0.0.7' && r.collector === 0),
      JSON.stringify(stats),
    );
    const row = await s.f.db.knex('radius_sessions').first();
    assert.deepEqual([Number(row.billed_in_octets), Number(row.billed_out_octets)], [8 * MB, 2 * MB]);
  } finally {
    await s.f.done();
  }
});

test('events without billTraffic (billing off, or Interims with Stop-only billing) bill nothing; the Stop then bills the whole session', async () => {
  const s = await setup();
  try {
    const { billTraffic: _, ...unmarked } = ev('interim', 5, 1);
    await s.batch([ev('start', 0, 0), unmarked]);
    assert.equal(await s.f.balance(s.accountId), 0);
    assert.deepEqual(await s.stats(), []);
    await s.batch([ev('stop', 8, 2)]);
    assert.equal(await s.f.balance(s.accountId), -100);
  } finally {
    await s.f.done();
  }
});

test('foreign and malformed records: an address in no IP group is counted and not billed; a bad billTraffic drops the event; nothing throws', async () => {
  const s = await setup();
  try {
    const r = await s.batch([
      ev('stop', 4, 4, { sid: 'foreign', framedIp: '172.16.0.9' }),
      ev('stop', 4, 4, { sid: 'not-an-address', framedIp: 'nonsense' }),
      { ...ev('stop', 4, 4, { sid: 'bad' }), billTraffic: 'yes' },
      ev('stop', 1, 0, { sid: 'good' }),
    ]);
    assert.deepEqual(r, { applied: 3, dropped: 1, bound: 0 });
    assert.equal(await s.f.balance(s.accountId), -10, "only the 1 MB of the session on the link's address");
    assert.deepEqual([s.traffic.counters.unaccounted, s.traffic.counters.unusable], [2, 2]);
  } finally {
    await s.f.done();
  }
});
