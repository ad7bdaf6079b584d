import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { emptyFlow, encodeIpfix, encodeV5, encodeV9, type FlowRecord } from '@utm5/netflow';
import { createCore } from './helpers/core-instance';
import { createCollector } from './helpers/collector-instance';
import { rng } from './helpers/rng';

const TOTAL = Number(process.env['UTM5_FUZZ_TOTAL'] ?? 100_000);

function flows(n: number, v6 = false): FlowRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    ...emptyFlow(),
    ipVersion: v6 ? 6 : 4,
    srcAddr: v6 ? '2001:db8::1' : '192.0.2.1',
    dstAddr: v6 ? `2001:db8::${i + 2}` : `10.9.0.${i + 1}`,
    nextHop: v6 ? '::' : '0.0.0.0',
    bytes: 1000,
    packets: 1,
    protocol: 6,
    start: Date.now() - 1000,
    end: Date.now(),
  }));
}

test(
  '100,000 random and mutated NetFlow packets do not crash utm5_traffic_collector; it still counts good flows after',
  { timeout: 240_000 },
  async () => {
    const seed = Number(process.env['UTM5_FUZZ_SEED'] ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const core = await createCore();
    const tc = await createCollector(core);
    const sock = createSocket('udp4');
    try {
      await tc.until('the link to the core', (s) => s.connected);
      const now = Date.now();
      const seeds = [
        encodeV5({ sequence: 1, unixMs: now, sysUptime: 100_000 }, flows(30)),
        encodeV5({ version: 7, sequence: 1, unixMs: now, sysUptime: 100_000 }, flows(10)),
        encodeV9({ domain: 1, sequence: 1, unixMs: now, sysUptime: 100_000, withTemplate: true }, flows(20)),
        encodeV9({ domain: 2, sequence: 1, unixMs: now, sysUptime: 100_000, withTemplate: true }, flows(5, true)),
        encodeIpfix({ domain: 3, sequence: 1, unixMs: now, withTemplate: true }, flows(20)),
      ];
      const mutate = (): Buffer => {
        switch (r.int(5)) {
          case 0:
            return r.bytes(r.int(1500));
          case 1: {
            // a valid header, then noise
            const b = Buffer.from(seeds[r.int(seeds.length)]!);
            return Buffer.concat([b.subarray(0, 4 + r.int(20)), r.bytes(r.int(1400))]);
          }
          case 2:
            return Buffer.from(seeds[r.int(seeds.length)]!).subarray(0, r.int(1500)); // truncated
          default: {
            // a few bytes flipped
            const b = Buffer.from(seeds[r.int(seeds.length)]!);
            for (let k = 1 + r.int(8); k > 0; k--) b[r.int(b.length)] = r.int(256);
            return b;
          }
        }
      };
      // Bounded pace (about 20,000 packets/s): the load stays bounded and the socket buffer mostly keeps up.
      for (let i = 0; i < TOTAL; i += 100) {
        for (let k = 0; k < 100 && i + k < TOTAL; k++) sock.send(mutate(), tc.nfPort, '127.0.0.1');
        await new Promise((res) => setTimeout(res, 5));
      }
      // Read until the count stops moving; on a loaded machine UDP may drop some, which is not what this tests.
      let after = tc.stats()!;
      for (let still = 0; still < 10;) {
        await new Promise((res) => setTimeout(res, 50));
        const s = tc.stats()!;
        still = s.packets === after.packets ? still + 1 : 0;
        after = s;
      }
      assert.ok(after.packets >= TOTAL * 0.2, `most fuzz packets reached the collector (${after.packets})`);
      assert.equal(tc.proc.child.exitCode, null, `collector exited (seed ${seed}): ${tc.proc.output()}`);
      const base = tc.stats()!;
      assert.ok(base.malformed > 0, 'malformed packets were counted');
      // A good packet after all that is decoded as usual.
      sock.send(encodeV5({ sequence: 99, unixMs: Date.now(), sysUptime: 100_000 }, flows(30)), tc.nfPort, '127.0.0.1');
      await tc.until('the good packet', (s) => s.records >= base.records + 30);
      assert.ok(after.packets > 0);
      assert.doesNotMatch(tc.proc.output(), /internal error/, `seed ${seed}`);
    } finally {
      sock.close();
      await tc.cleanup();
      await core.cleanup();
    }
  },
);
