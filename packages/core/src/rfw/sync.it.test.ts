import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from '@utm5/db/testing';
import { rfwTestCore, type RfwTestCore } from '../testing/rfw-fixture';

onEveryBackend('synchronisation of rules: each sync flag replays the current state for one firewall', (backend) => {
  let f: RfwTestCore;
  let fw1 = 0;
  let on = { userId: 0, accountId: 0 };
  let off = { userId: 0, accountId: 0 };
  let linkOn = 0;
  let linkOff = 0;
  before(async () => {
    f = await rfwTestCore(backend(), 'rfwsync');
    fw1 = await f.firewall('fw1');
    await f.firewall('fw2');
    on = await f.user({ login: 'on' });
    off = await f.user({ login: 'off' });
    linkOn = await f.ipLink(on.accountId, [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }]);
    linkOff = await f.ipLink(off.accountId, [{ ip: '10.0.1.1' }]);
    const k = f.core.db.knex;
    await k('accounts').where({ id: off.accountId }).update({ int_status: false, block_type: 16 });
    await k('slink_shaping').insert([
      { slink_id: linkOn, direction: 'in', bandwidth: 512, service_id: 0, since: 0 },
      { slink_id: linkOn, direction: 'out', bandwidth: 256, service_id: 0, since: 0 },
    ]);
    await f.rule(['internet_on'], 'on UIP');
    await f.rule(['internet_off'], 'off UIP');
    await f.rule(['user_add'], 'user LOGIN');
    await f.rule(['block_changed'], 'block ACCOUNT_ID BLOCK_TYPE');
    await f.rule(['iptraffic_link_add'], 'ipl SLINK_ID');
    await f.rule(['bw_in_set'], 'in UIP IN_BANDWIDTH_KBITS OUT_BANDWIDTH_KBITS');
    await f.rule(['bw_out_set'], 'out UIP OUT_BANDWIDTH_KBITS IP_GROUP_ID');
    await f.rule(['payment'], 'never');
  });
  after(() => f.done());

  const sync = async (flags: Parameters<RfwTestCore['core']['rfw']['synchronise']>[1]) => {
    await f.core.db.knex('rfw_queue').delete();
    const n = await f.core.rfw.synchronise(fw1, flags);
    const rows = await f.queue();
    assert.equal(n, rows.length);
    assert.ok(
      rows.every((r) => r.routerId === fw1),
      'for that firewall only',
    );
    return rows.map((r) => r.argv.join(' '));
  };

  test('enable and disable: Internet on/off for every IP group of accounts in that state', async () => {
    assert.deepEqual(await sync(['enable']), ['on 10.0.0.1', 'on 10.0.0.2']);
    assert.deepEqual(await sync(['disable']), ['off 10.0.1.1']);
  });

  test('users, blocks, iptraffic: one command per user, account and link', async () => {
    assert.deepEqual(await sync(['users']), ['user on', 'user off']);
    assert.deepEqual(await sync(['blocks']), [`block ${on.accountId} 0`, `block ${off.accountId} 16`]);
    assert.deepEqual(await sync(['iptraffic']), [`ipl ${linkOn}`, `ipl ${linkOff}`]);
    assert.deepEqual(await sync(['dialup']), []);
  });

  test('shaping: the limits in force, per IP group and direction', async () => {
    const groups = await f.core.db.knex('ip_groups').where({ slink_id: linkOn }).orderBy('id').select('id');
    const [g1, g2] = groups.map((g: { id: number }) => Number(g.id));
    assert.deepEqual(await sync(['shaping']), [
      'in 10.0.0.1 512 256',
      'in 10.0.0.2 512 256',
      `out 10.0.0.1 256 ${g1}`,
      `out 10.0.0.2 256 ${g2}`,
    ]);
  });

  test('several flags in their order; the other firewall gets nothing', async () => {
    assert.deepEqual(await sync(['disable', 'blocks']), [
      'off 10.0.1.1',
      `block ${on.accountId} 0`,
      `block ${off.accountId} 16`,
    ]);
  });
});
