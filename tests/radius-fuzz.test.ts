import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { encodeRequest } from '@utm5/radius';
import { createCore } from './helpers/core-instance';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';
import { rng } from './helpers/rng';

const TOTAL = Number(process.env['UTM5_FUZZ_TOTAL'] ?? 100_000);
const SECRET = 'fuzz-secret-0123456789';

test(
  '100,000 random and mutated RADIUS packets from a registered NAS do not crash utm5_radius; it answers after',
  { timeout: 240_000 },
  async () => {
    const seed = Number(process.env['UTM5_FUZZ_SEED'] ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const core = await createCore();
    await core.stop();
    await setUpRadius(core, SECRET, [{ login: 'fz', password: 'fz-pass', kind: 'dialup' }]);
    await core.start();
    const rad = await createRadius(core);
    const sock = createSocket('udp4');
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 1);
      const seeds = [
        encodeRequest(
          'Access-Request',
          [
            { name: 'User-Name', value: 'fz' },
            { name: 'User-Password', value: 'fz-pass' },
            { name: 'NAS-Port-Type', value: 5 },
          ],
          SECRET,
        ),
        encodeRequest(
          'Access-Request',
          [
            { name: 'User-Name', value: 'fz' },
            { name: 'EAP-Message', value: Buffer.from([2, 1, 0, 7, 1, 102, 122]) },
          ],
          SECRET,
        ),
        encodeRequest(
          'Accounting-Request',
          [
            { name: 'User-Name', value: 'fz' },
            { name: 'Acct-Status-Type', value: 1 },
            { name: 'Acct-Session-Id', value: 'f1' },
          ],
          SECRET,
        ),
        encodeRequest(
          'Access-Request',
          [
            { name: 'User-Name', value: 'fz' },
            { name: 'Cisco-AVPair', value: 'a=b' },
            { name: 'MS-CHAP-Challenge', value: Buffer.alloc(16) },
            { name: 'MS-CHAP2-Response', value: Buffer.alloc(50) },
          ],
          SECRET,
        ),
      ];
      const mutate = (): Buffer => {
        switch (r.int(5)) {
          case 0:
            return r.bytes(r.int(300));
          case 1:
            return Buffer.concat([seeds[r.int(seeds.length)]!.subarray(0, 20), r.bytes(r.int(200))]);
          case 2:
            return Buffer.from(seeds[r.int(seeds.length)]!).subarray(0, r.int(120));
          default: {
            const b = Buffer.from(seeds[r.int(seeds.length)]!);
            for (let k = 1 + r.int(6); k > 0; k--) b[r.int(b.length)] = r.int(256);
            return b;
          }
        }
      };
      for (let i = 0; i < TOTAL; i += 100) {
        for (let k = 0; k < 100 && i + k < TOTAL; k++)
          sock.send(mutate(), r.int(2) ? rad.authPort : rad.acctPort, '127.0.0.1');
        await new Promise((res) => setTimeout(res, 4));
      }
      await new Promise((res) => setTimeout(res, 1000));
      assert.equal(rad.proc.child.exitCode, null, `utm5_radius exited (seed ${seed}): ${rad.proc.output()}`);
      const s = rad.stats()!;
      assert.ok(
        s.malformed + s.badAuthenticator + s.rejects + s.accepts + s.ignored > TOTAL * 0.2,
        `most packets were seen (seed ${seed}): ${JSON.stringify(s)}`,
      );
      const a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'fz' },
        { name: 'User-Password', value: 'fz-pass' },
      ]);
      assert.equal(a?.codeName, 'Access-Accept', `still answers (seed ${seed})`);
      assert.doesNotMatch(rad.proc.output(), /internal error/, `seed ${seed}`);
    } finally {
      sock.close();
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
