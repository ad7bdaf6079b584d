import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, verifyDatabase } from '@utm5/db';
import { onEveryBackend } from '@utm5/db/testing';
import { ServiceType } from '../tariffication/model';
import { RadiusSessionRepo } from './session-repo';

onEveryBackend('RADIUS session repository', (backend) => {
  test('open: the sessions not stopped, by id, with the columns the active sessions list shows', async () => {
    const db = await openDatabase(backend().fresh('radius_sessions'));
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      const row = (sid: string, more: Record<string, unknown>) => ({
        nas_ip: '10.0.0.1',
        acct_session_id: sid,
        login: `u-${sid}`,
        service_type: ServiceType.DIALUP,
        started_at: 100,
        updated_at: 160,
        ...more,
      });
      await db
        .knex('radius_sessions')
        .insert(row('b', { framed_ip: '10.9.0.2', called_station: 'to', calling_station: 'from' }));
      await db.knex('radius_sessions').insert(row('gone', { stopped_at: 200 }));
      await db
        .knex('radius_sessions')
        .insert(
          row('tel', { service_type: ServiceType.TELEPHONY, nas_ip: '10.0.0.2', started_at: 300, updated_at: 301 }),
        );
      const open = await new RadiusSessionRepo(db).open();
      assert.deepEqual(
        open.map((s) => s.acctSessionId),
        ['b', 'tel'],
      );
      assert.deepEqual(open[0], {
        id: open[0]!.id,
        acctSessionId: 'b',
        login: 'u-b',
        nasIp: '10.0.0.1',
        serviceType: ServiceType.DIALUP,
        framedIp: '10.9.0.2',
        startedAt: 100,
        updatedAt: 160,
        calledStation: 'to',
        callingStation: 'from',
      });
      assert.equal(open[1]!.framedIp, '', 'no address from the NAS');
      assert.ok(open[0]!.id < open[1]!.id);
    } finally {
      await db.close();
    }
  });
});
