import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { UrfaClient } from '@utm5/protocol';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { testDaemon } from './helpers/stream-daemon';
import { rng, type Rng } from './helpers/rng';

const TOTAL = Number(process.env['UTM5_FUZZ_TOTAL'] ?? 100_000);
const PER_CONNECTION = 50;
const PARALLEL = 16;

function urfaAttr(r: Rng, type: number, data: Buffer): Buffer {
  const a = Buffer.alloc(4);
  a[0] = type;
  a.writeUInt16BE(4 + data.length, 2);
  return Buffer.concat([a, data]);
}

function urfaRaw(code: number, attrs: Buffer[]): Buffer {
  const body = Buffer.concat(attrs);
  const head = Buffer.from([code, 35, 0, 0]);
  head.writeUInt16BE(4 + body.length, 2);
  return Buffer.concat([head, body]);
}

/** Mostly well-framed: calls of real and unknown functions with random inputs; some packets mangled. */
function urfaPacket(r: Rng): Buffer {
  let p: Buffer;
  switch (r.int(4)) {
    case 0: {
      const fid = r.pick([
        0x45,
        0x46,
        0x4417,
        0x60000001,
        0x60000010,
        -0x45,
        0x60000040,
        0x60000040,
        0x2406,
        r.int(0x7fffffff),
      ]);
      const b = Buffer.alloc(4);
      b.writeInt32BE(fid | 0);
      p = urfaRaw(0xc9, [urfaAttr(r, 3, b)]);
      break;
    }
    case 1:
    case 2: {
      const attrs = Array.from({ length: 1 + r.int(6) }, () =>
        urfaAttr(
          r,
          r.int(10) === 0 ? r.int(256) : 5,
          r.int(3) === 0 ? r.bytes(r.int(20)) : Buffer.from([0, 0, 0, r.int(4)]),
        ),
      );
      p = urfaRaw(0xc8, attrs);
      break;
    }
    default:
      p = urfaRaw(r.pick([0xc1, 0xc8, 0xcb, r.int(256)]), [urfaAttr(r, r.int(11), r.bytes(r.int(24)))]);
  }
  switch (r.int(25)) {
    case 0:
      p[1] = r.int(256);
      break; // version
    case 1:
      p.writeUInt16BE(r.int(0x10000), 2);
      break; // length field
    case 2:
      return p.subarray(0, r.int(p.length + 1)); // truncated
    case 3:
      return r.bytes(r.int(64)); // noise
    default:
  }
  return p;
}

function streamFrame(r: Rng): Buffer {
  const kinds = [
    () => ({ t: 'ping', id: r.int(1000) }),
    () => ({
      t: 'records',
      seq: r.int(50),
      kind: r.pick(['journal', 'x', '']),
      items: [{ action: r.pick(['fuzz', '', 5]), details: 'x' }],
    }),
    () => ({
      t: r.pick(['login', 'hello', 'ack', 'zzz']),
      login: 'radius',
      response: r.bytes(4).toString('hex'),
      sender: 's',
      topics: [],
    }),
    () => r.bytes(r.int(30)),
  ];
  const v = r.pick(kinds)();
  const body = Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(r.int(20) === 0 ? r.int(0xffffffff) : body.length);
  return Buffer.concat([head, body]);
}

const md5 = (key: Buffer, pw: string) => createHash('md5').update(key).update(pw).digest();

/** Logs in for real (plain URFA on loopback), so the fuzz also reaches the call states. */
function urfaLogin(key: Buffer): Buffer {
  const attr = (t: number, d: Buffer) => {
    const h = Buffer.alloc(4);
    h[0] = t;
    h.writeUInt16BE(4 + d.length, 2);
    return Buffer.concat([h, d]);
  };
  const int = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const body = Buffer.concat([
    attr(1, int(1)),
    attr(2, Buffer.from('init')),
    attr(8, key),
    attr(9, md5(key, 'init')),
    attr(10, int(0)),
  ]);
  const head = Buffer.from([0xc1, 35, 0, 0]);
  head.writeUInt16BE(4 + body.length, 2);
  return Buffer.concat([head, body]);
}

async function connection(
  port: number,
  first: (s: Socket, data: Buffer) => Buffer | undefined,
  packets: Buffer[],
): Promise<void> {
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1');
    let sent = false;
    const finish = () => {
      s.destroy();
      resolve();
    };
    const timer = setTimeout(finish, 300);
    s.on('data', (d: Buffer) => {
      if (sent) return;
      sent = true;
      const login = first(s, d);
      if (login) s.write(login);
      s.write(Buffer.concat(packets));
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function fuzz(
  core: CoreInstance,
  port: number,
  seed: number,
  make: (r: Rng) => Buffer,
  first: (s: Socket, data: Buffer, r: Rng) => Buffer | undefined,
): Promise<number> {
  const r = rng(seed);
  let sent = 0;
  const worker = async () => {
    while (sent < TOTAL) {
      const packets = Array.from({ length: PER_CONNECTION }, () => make(r));
      sent += packets.length;
      await connection(port, (s, d) => first(s, d, r), packets);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  assert.equal(core.proc.child.exitCode, null, 'the core is still running');
  return sent;
}

test('100,000 random and mutated packets at the URFA and Stream ports leave the core serving others', async () => {
  const seed = Number(process.env['UTM5_FUZZ_SEED'] ?? Date.now() % 1_000_000);
  process.stdout.write(`fuzz seed ${seed} (UTM5_FUZZ_SEED=${seed} replays it)\n`);
  const core = await createCore();
  try {
    const urfa = await fuzz(core, core.urfaPort, seed, urfaPacket, (_s, d, r) => {
      // Half the connections log in first; the session init key is the attribute after the 8-byte header.
      if (r.int(2) === 0 || d.length < 24 || d[0] !== 0xc0) return undefined;
      return urfaLogin(d.subarray(8, 24));
    });
    const stream = await fuzz(core, core.streamPort, seed + 1, streamFrame, () => undefined);
    assert.ok(urfa >= TOTAL && stream >= TOTAL);

    const c = await UrfaClient.connect({ host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
    const out = await c.callRaw(0x45, []);
    assert.equal(out[0]!.toString(), 'UTM5-TS 0.1.0');
    await c.close();
    const d = testDaemon(core.streamPort, { sender: 'after-fuzz' });
    await d.client.ready();
    await d.client.send('journal', [{ action: 'after_fuzz', details: 'still committing' }]);
    await d.client.stop();
  } finally {
    await core.cleanup();
  }
});
