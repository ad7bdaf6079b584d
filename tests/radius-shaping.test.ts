import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import type { RadiusPacket } from '@utm5/radius';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore } from './helpers/core-instance';
import { fakeNas } from './helpers/fake-nas';
import { MB, tclassInput } from './helpers/ip-traffic';
import { ROOT } from './helpers/paths';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';
import { rangeAround } from './helpers/urfa';

const SECRET = 'coa-secret-long-enough';
const RATE = 'IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk';
const CISCO =
  'lcp:interface-config#1=rate-limit input IN_BANDWIDTH_BITS IN_CISCO_NORMAL_BURST IN_CISCO_EXTENDED_BURST conform-action transmit exceed-action drop';

test(
  'Dynashape over CoA: traffic past the border sends CoA-Requests with the new bandwidth to the open sessions (ACK and NAK handled), new sessions get it in Access-Accept, the end of the time range sends the removal; rfw events recorded',
  { timeout: 180_000 },
  async () => {
    // Session s2 is one this NAS does not know (NAK, Session-Context-Not-Found); s1 it changes (ACK).
    const nas = await fakeNas(SECRET, (p) =>
      p.text('Acct-Session-Id') === 's2' ? { code: 45, attrs: [{ name: 'Error-Cause', value: 503 }] } : { code: 44 },
    );
    const received = nas.received;
    const core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
    await core.stop();
    const { services } = await setUpRadius(
      core,
      SECRET,
      [{ login: 'shaper', password: 'pw', kind: 'iptraffic', ip: '10.60.0.1' }],
      [],
      { daePort: nas.port, coa: true },
    );
    await core.start();
    const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
    });
    const rad = await createRadius(core);
    try {
      const now = Math.floor(Date.now() / 1000);
      await api.call('utm5ts_set_time', { time: now });
      await api.call('rpcf_add_tclass2', tclassInput(1, 'All', [{}]));
      // The limits hold from an hour ago to 20 minutes from now.
      await api.call('rpcf_add_time_range', { tr_name: 'now', priority: 1, ...rangeAround(now, -3600, 1200) });
      const ranges = await api.call('rpcf_get_time_ranges');
      const range = Number(ranges.get('range_id', [Number(ranges.get('size_tr')) - 1]));
      assert.equal(
        (
          await api.call('rpcf_add_shaping', {
            service_id: services[0]!,
            flags: 1,
            in_tclass_id_array: [1],
            in_acc_states_array: [0],
            in_borders_array: [MB],
            in_timeranges_array: [range],
            in_limits_array: [1024],
            out_tclass_id_array: [1],
            out_acc_states_array: [0],
            out_borders_array: [MB],
            out_timeranges_array: [range],
            out_limits_array: [512],
            rad_vendor: [14988, 9, 12345],
            rad_attr: [8, 1, 1],
            rad_type: [1, 1, 0],
            rad_value: [RATE, CISCO, 'OUT_BANDWIDTH_BITS'],
            turbo_mode_service_id: [],
            turbo_mode_incoming_rate: [],
            turbo_mode_outgoing_rate: [],
            turbo_mode_incoming_limit: [],
            turbo_mode_outgoing_limit: [],
            name: [],
            turbo_mode_duration: [],
            turbo_mode_acct_period_flag: [],
          })
        ).get('result'),
        '0',
      );

      await rad.until("the core's data", (s) => s.connected && s.logins === 1);
      for (const [sid, ip] of [
        ['s1', '10.60.0.9'],
        ['s2', '10.60.0.8'],
      ]) {
        const a = await exchange(rad.acctPort, SECRET, 'Accounting-Request', [
          { name: 'User-Name', value: 'shaper' },
          { name: 'Acct-Status-Type', value: 1 },
          { name: 'Acct-Session-Id', value: sid! },
          { name: 'Framed-IP-Address', value: ip! },
        ]);
        assert.equal(a?.codeName, 'Accounting-Response');
      }
      // Under the border: no limit, nothing sent.
      await api.call('rpcf_put_unif_iptr', { login: ['shaper'], ipid: [0], tclass: [1], d_oct: [MB / 2] });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(received.length, 0, 'no CoA below the border');

      await api.call('rpcf_put_unif_iptr', { login: ['shaper'], ipid: [0], tclass: [1], d_oct: [MB] });
      await rad.until('the CoA-ACK and the CoA-NAK', (s) => s.coaAcked === 1 && s.coaNaked === 1, 30_000);
      assert.deepEqual(
        received
          .map((p) => [p.codeName, p.text('User-Name'), p.text('Acct-Session-Id'), p.get('Framed-IP-Address')])
          .sort(),
        [
          ['CoA-Request', 'shaper', 's1', '10.60.0.9'],
          ['CoA-Request', 'shaper', 's2', '10.60.0.8'],
        ],
      );
      const values = (p: RadiusPacket) => [
        p.text('Mikrotik-Rate-Limit'),
        p.text('Cisco-AVPair'),
        p.octets('Attr-26.12345.1')?.readUInt32BE(0),
      ];
      for (const p of received) {
        assert.deepEqual(values(p), [
          '1024k/512k',
          'lcp:interface-config#1=rate-limit input 1048576 196608 393216 conform-action transmit exceed-action drop',
          512 * 1024,
        ]);
      }
      const log = () => rad.proc.output() + readFileSync(`${rad.dir}/debug.log`, 'utf8');
      assert.match(
        log(),
        /CoA-Request for 'shaper' \(session 127\.0\.0\.1\|s2\) .*bandwidth in 1024 Kbit\/s, out 512 Kbit\/s: CoA-NAK \(Error-Cause 503\)/,
      );

      // A session that starts now gets the limit in its Access-Accept.
      const accept = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'shaper' },
        { name: 'User-Password', value: 'pw' },
      ]);
      assert.equal(accept?.codeName, 'Access-Accept');
      assert.equal(accept!.text('Mikrotik-Rate-Limit'), '1024k/512k');

      // The range ends 20 minutes from now: within 5 minutes after, the limits go and the NAS is told.
      received.length = 0;
      await api.call('utm5ts_advance_time', { seconds: 40 * 60 });
      await rad.until('the removal CoA answered', (s) => s.coaAcked === 2 && s.coaNaked === 2, 30_000);
      assert.deepEqual(received.map((p) => p.text('Acct-Session-Id')).sort(), ['s1', 's2']);
      for (const p of received) {
        assert.deepEqual(values(p), [
          '0k/0k',
          'lcp:interface-config#1=rate-limit input 0 0 0 conform-action transmit exceed-action drop',
          0,
        ]);
      }
      assert.match(log(), /CoA-Request for 'shaper' \(session 127\.0\.0\.1\|s1\) .*bandwidth limit removed: CoA-ACK/);
    } finally {
      nas.close();
      await api.close();
      await rad.cleanup();
      await core.stop();
    }
    try {
      // What utm5_rfw will read: Set, then Delete bandwidth limit, per direction, for the link's IP group.
      const db = await openDatabase(sqliteSettings(join(core.dir, 'utm5.db')));
      const events: Record<string, unknown>[] = await db
        .knex('shaping_events')
        .orderBy('id')
        .select('event', 'direction', 'bandwidth', 'ip', 'mask', 'login');
      await db.close();
      assert.deepEqual(
        events.map((e) => `${e['event']} ${e['direction']} ${e['bandwidth']} ${e['ip']}/${e['mask']} ${e['login']}`),
        [
          'set in 1024 10.60.0.1/32 shaper',
          'set out 512 10.60.0.1/32 shaper',
          'delete in 1024 10.60.0.1/32 shaper',
          'delete out 512 10.60.0.1/32 shaper',
        ],
      );
    } finally {
      await core.cleanup();
    }
  },
);
