import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type TLSSocket } from 'node:tls';
import { L } from '../api/layout';
import { SessionStore } from './session-store';
import { UrfaServerConnection } from './server-connection';
import type { UrfaFunction, UrfaIdentity, UrfaServerOptions } from './server-types';
import { UrfaClient } from './client';
import { functionClass } from './function-class';
import { i32, rawAttr, rawAttrs, rawPacket, splitPackets } from '../testing/bytes';
import { TEST_CLIENT_CERT, TEST_CLIENT_KEY, TEST_SERVER_CERT, TEST_SERVER_KEY } from '../testing/tls-fixture';

// A URFA server with made-up principals and functions, driven by packets written by hand from URFA.md.
type P = UrfaIdentity;
const PEOPLE: Record<string, { p: P; password: string }> = {
  init: { p: { kind: 'system', id: -1, login: 'init' }, password: 'initpw' },
  web: { p: { kind: 'system', id: -2, login: 'web' }, password: 'webpw' },
  bob: { p: { kind: 'customer', id: 7, login: 'bob' }, password: 'bobpw' },
};

const fns = new Map<number, UrfaFunction<P>>([
  [0x45, { schema: { name: 'version', id: 0x45, input: [], output: [L.str('v')] }, handler: () => ({ v: 'X1' }) }],
  [
    -0x45,
    {
      schema: { name: 'version_user', id: -0x45, input: [], output: [L.str('who')] },
      handler: (c) => ({ who: c.principal.login }),
    },
  ],
  [
    0x200,
    {
      schema: { name: 'echo', id: 0x200, input: [L.int('a'), L.str('s')], output: [L.int('a'), L.str('s')] },
      handler: (c) => ({ a: c.args.int('a') + 1, s: c.args.str('s').toUpperCase() }),
    },
  ],
  [
    0x300,
    {
      schema: {
        name: 'big',
        id: 0x300,
        input: [],
        output: [L.int('n'), L.for('i', '0', 'n', [L.str('x', { index: 'i' })])],
      },
      handler: () => ({ n: 3000, x: Array.from({ length: 3000 }, (_, i) => `row-${String(i).padStart(16, '0')}`) }),
    },
  ],
]);

const refused: string[] = [];
let plainOk = true;
let server: Server;
let port = 0;
const sessions = new SessionStore<P>(3600, () => Math.floor(Date.now() / 1000));

const options: UrfaServerOptions<P> = {
  lookupLogin: (login) => {
    const x = PEOPLE[login];
    return x ? { ok: true, candidates: [{ principal: x.p, password: x.password }] } : { ok: false, reason: 'unknown' };
  },
  mayRestore: (p) => p.login === 'web',
  sessions,
  plainAllowed: () => plainOk,
  secureContext: () => createSecureContext({ cert: TEST_SERVER_CERT, key: TEST_SERVER_KEY }),
  lookupFunction: (fid) => fns.get(fid),
  permitted: (p, fid) =>
    p.kind === 'customer' ? functionClass(fid) === 'customer' : fid !== 0x300 || p.login === 'init',
  onRefused: (p, fid, _peer, why) => refused.push(`${p.login}:${fid}:${why}`),
  log: { debug() {}, info() {}, notice() {}, warn() {}, error() {} },
  now: () => Math.floor(Date.now() / 1000),
  loginTimeoutMs: 2000,
  idleTimeoutMs: 60_000,
  maxCallValues: 10_000,
};

before(async () => {
  server = createServer((s) => new UrfaServerConnection(s, 'test', '127.0.0.1', options));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** A raw client reading whole packets. */
class Raw {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  closed = false;
  constructor(public sock: Socket | TLSSocket) {
    this.listen(sock);
  }
  listen(s: Socket | TLSSocket) {
    s.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
    s.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }
  static async open(): Promise<Raw> {
    const s = connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    return new Raw(s);
  }
  async packet(): Promise<Buffer> {
    for (;;) {
      const { packets } = splitPackets(this.buf);
      if (packets.length > 0) {
        this.buf = this.buf.subarray(packets[0]!.length);
        return Buffer.from(packets[0]!);
      }
      if (this.closed) throw new Error('closed');
      await new Promise<void>((r) => {
        this.waiting = r;
      });
    }
  }
  send(b: Buffer) {
    this.sock.write(b);
  }
}

const md5 = (key: Buffer, pw: string) => [
  ...createHash('md5')
    .update(Buffer.concat([key, Buffer.from(pw)]))
    .digest(),
];
const str = (s: string) => [...Buffer.from(s)];

async function session(): Promise<{ raw: Raw; key: Buffer }> {
  const raw = await Raw.open();
  const init = await raw.packet();
  assert.equal(init[0], 0xc0);
  assert.equal(init[1], 35);
  const attrs = rawAttrs(init);
  assert.equal(attrs.length, 1, 'session init carries only the key');
  assert.equal(attrs[0]![0], 6);
  assert.equal(attrs[0]![1].length, 16);
  return { raw, key: attrs[0]![1] };
}

/** The login packets of the public clients, attribute orders as they send them. */
const LOGINS: Record<string, (key: Buffer, login: string, pw: string, mode: number) => Buffer> = {
  go: (k, l, p, m) =>
    rawPacket(
      0xc1,
      rawAttr(1, i32(2)),
      rawAttr(2, str(l)),
      rawAttr(8, [...k]),
      rawAttr(9, md5(k, p)),
      rawAttr(10, i32(m)),
    ),
  kshym: (k, l, p, m) =>
    rawPacket(
      0xc1,
      rawAttr(2, str(l)),
      rawAttr(8, [...k]),
      rawAttr(9, md5(k, p)),
      rawAttr(10, i32(m)),
      rawAttr(1, i32(2)),
    ),
  siomkin: (k, l, p, m) =>
    rawPacket(
      0xc1,
      rawAttr(2, str(l)),
      rawAttr(9, md5(k, p)),
      rawAttr(8, [...k]),
      rawAttr(1, i32(1)),
      rawAttr(10, i32(m)),
    ),
  ourfa: (k, l, p, m) =>
    rawPacket(
      0xc1,
      rawAttr(8, [...k]),
      rawAttr(1, i32(1)),
      rawAttr(2, str(l)),
      rawAttr(9, md5(k, p)),
      rawAttr(10, i32(m)),
    ),
  perl: (k, l, p, m) =>
    rawPacket(
      0xc1,
      rawAttr(1, i32(2)),
      rawAttr(2, str(l)),
      rawAttr(8, [...k]),
      rawAttr(9, md5(k, p)),
      rawAttr(10, i32(m)),
    ),
  subscriber: (k, l, p, m) =>
    rawPacket(
      0xc1,
      rawAttr(2, str(l)),
      rawAttr(9, md5(k, p)),
      rawAttr(8, [...k]),
      rawAttr(7, [1, 0, 0, 127]),
      rawAttr(10, i32(m)),
    ),
};

const ACCEPT = (mode: number) => rawPacket(0xc2, rawAttr(10, i32(mode)));
const CALL = (fid: number) => rawPacket(0xc9, rawAttr(3, i32(fid)));
const END = rawPacket(0xc8, rawAttr(4, i32(4)));

for (const [client, make] of Object.entries(LOGINS)) {
  test(`login in ${client}'s attribute order is accepted, plain on loopback`, async () => {
    const who = client === 'subscriber' ? ['bob', 'bobpw'] : ['init', 'initpw'];
    const { raw, key } = await session();
    raw.send(make(key, who[0]!, who[1]!, 0));
    assert.deepEqual(await raw.packet(), ACCEPT(0));
    raw.send(CALL(who[0] === 'bob' ? -0x45 : 0x45));
    assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(3, i32(who[0] === 'bob' ? -0x45 : 0x45))));
    raw.send(rawPacket(0xc8)); // some clients send an empty packet for a function without inputs
    assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(5, str(who[0] === 'bob' ? 'bob' : 'X1'))));
    assert.deepEqual(await raw.packet(), END, 'termination 4 in a packet of its own');
    raw.sock.destroy();
  });
}

test('SSL modes 1-4 served plain are accepted without attribute 10; mode 0 keeps attribute 10 = 0', async () => {
  // The C client and its Perl binding refuse an accept whose mode differs from the one they asked for.
  for (const mode of [1, 2, 3, 4]) {
    const { raw, key } = await session();
    raw.send(LOGINS['ourfa']!(key, 'init', 'initpw', mode));
    assert.deepEqual(await raw.packet(), rawPacket(0xc2), `mode ${mode}: an accept with no attributes`);
    raw.send(CALL(0x45));
    assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(3, i32(0x45))), `mode ${mode}: the session is plain`);
    raw.sock.destroy();
  }
  const { raw, key } = await session();
  raw.send(LOGINS['ourfa']!(key, 'init', 'initpw', 0));
  assert.deepEqual(await raw.packet(), ACCEPT(0));
  raw.sock.destroy();
});

test('a wrong CHAP response is rejected with termination 1 and the connection closed', async () => {
  const { raw, key } = await session();
  raw.send(LOGINS['go']!(key, 'init', 'nope', 0));
  assert.deepEqual(await raw.packet(), rawPacket(0xc3, rawAttr(4, i32(1))));
  await assert.rejects(raw.packet(), /closed/);
});

test('a challenge echo that is not the one sent is rejected', async () => {
  const { raw, key } = await session();
  const other = Buffer.from(key.map((b) => b ^ 0xff));
  raw.send(rawPacket(0xc1, rawAttr(2, str('init')), rawAttr(8, [...other]), rawAttr(9, md5(key, 'initpw'))));
  assert.equal((await raw.packet())[0], 0xc3);
});

test('plain modes are refused where plain URFA is not allowed; TLS is still accepted there', async () => {
  plainOk = false;
  try {
    for (const mode of [0, 1, 2, 3, 4]) {
      const { raw, key } = await session();
      raw.send(LOGINS['ourfa']!(key, 'init', 'initpw', mode));
      assert.equal((await raw.packet())[0], 0xc3, `mode ${mode} refused`);
    }
    const { raw, key } = await session();
    raw.send(LOGINS['kshym']!(key, 'init', 'initpw', 6));
    assert.deepEqual(await raw.packet(), ACCEPT(6));
    raw.sock.destroy();
  } finally {
    plainOk = true;
  }
});

for (const [mode, withCert] of [
  [6, false],
  [5, true],
  [5, false],
  [6, true],
] as const) {
  test(`TLS mode ${mode} ${withCert ? 'with' : 'without'} a client certificate`, async () => {
    const { raw, key } = await session();
    raw.send(LOGINS['go']!(key, 'init', 'initpw', mode));
    assert.deepEqual(await raw.packet(), ACCEPT(mode));
    raw.sock.removeAllListeners('data');
    const secure = tlsConnect({
      socket: raw.sock,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ...(withCert ? { cert: TEST_CLIENT_CERT, key: TEST_CLIENT_KEY } : {}),
    });
    await new Promise((r) => secure.once('secureConnect', r));
    const tls = new Raw(secure);
    tls.send(CALL(0x200));
    assert.deepEqual(await tls.packet(), rawPacket(0xc8, rawAttr(3, i32(0x200))));
    // Inputs split over two packets, then ourfa's trailing termination attribute.
    tls.send(rawPacket(0xc8, rawAttr(5, i32(41))));
    tls.send(rawPacket(0xc8, rawAttr(5, str('abc')), rawAttr(4, i32(4))));
    assert.deepEqual(await tls.packet(), rawPacket(0xc8, rawAttr(5, i32(42)), rawAttr(5, str('ABC'))));
    assert.deepEqual(await tls.packet(), END);
    secure.destroy();
  });
}

test('forbidden and unknown functions are answered with termination 7 and 3, and journaled; the session goes on', async () => {
  const { raw, key } = await session();
  raw.send(LOGINS['go']!(key, 'web', 'webpw', 0));
  await raw.packet();
  raw.send(CALL(0x300));
  assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(4, i32(7))));
  raw.send(CALL(0x999));
  assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(4, i32(3))));
  raw.send(CALL(0x45));
  assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(3, i32(0x45))));
  assert.deepEqual(await raw.packet(), rawPacket(0xc8, rawAttr(5, str('X1'))));
  assert.deepEqual(await raw.packet(), END);
  assert.deepEqual(refused.slice(-2), ['web:768:forbidden', 'web:2457:unknown']);
  raw.send(rawPacket(0xcb, rawAttr(4, i32(6))));
  await assert.rejects(raw.packet(), /closed/);
});

test('an output larger than one packet spans several, each under 32 KiB, then the end packet', async () => {
  const { raw, key } = await session();
  raw.send(LOGINS['go']!(key, 'init', 'initpw', 0));
  await raw.packet();
  raw.send(CALL(0x300));
  await raw.packet();
  const values: Buffer[] = [];
  let packets = 0;
  for (;;) {
    const p = await raw.packet();
    const attrs = rawAttrs(p);
    if (attrs.some(([t]) => t === 4)) {
      assert.deepEqual(p, END);
      break;
    }
    packets++;
    assert.ok(p.length <= 0x7fff);
    for (const [t, d] of attrs) if (t === 5) values.push(d);
  }
  assert.ok(packets >= 3, `${packets} packets`);
  assert.equal(values.length, 3001);
  assert.equal(values[0]!.readInt32BE(0), 3000);
  assert.equal(values[3000]!.toString(), 'row-0000000000002999');
  raw.sock.destroy();
});

test("session restore: a trusted system user resumes a customer's session by SID and IP", async () => {
  // bob logs in; the session init key is his SID.
  const a = await session();
  a.raw.send(LOGINS['subscriber']!(a.key, 'bob', 'bobpw', 0));
  await a.raw.packet();
  a.raw.sock.destroy();
  const sid = [...a.key];
  // web restores it, giving bob's IP (127.0.0.1) little-endian, as NetUP's cabinet does.
  const b = await session();
  b.raw.send(
    rawPacket(
      0xc1,
      rawAttr(2, str('web')),
      rawAttr(9, md5(b.key, 'webpw')),
      rawAttr(8, [...b.key]),
      rawAttr(7, [1, 0, 0, 127]),
      rawAttr(6, sid),
      rawAttr(1, i32(1)),
      rawAttr(10, i32(2)),
    ),
  );
  assert.deepEqual(await b.raw.packet(), rawPacket(0xc2), 'mode 2 served plain: no attribute 10');
  b.raw.send(CALL(-0x45));
  await b.raw.packet();
  assert.deepEqual(await b.raw.packet(), rawPacket(0xc8, rawAttr(5, str('bob'))), "the session is bob's");
  b.raw.sock.destroy();
  // From another IP the SID is refused, and then forgotten.
  const c = await session();
  c.raw.send(
    rawPacket(
      0xc1,
      rawAttr(2, str('web')),
      rawAttr(9, md5(c.key, 'webpw')),
      rawAttr(7, [9, 9, 9, 10]),
      rawAttr(6, sid),
    ),
  );
  assert.equal((await c.raw.packet())[0], 0xc3);
  // init may not restore sessions at all.
  const d = await session();
  d.raw.send(rawPacket(0xc1, rawAttr(2, str('init')), rawAttr(9, md5(d.key, 'initpw')), rawAttr(6, sid)));
  assert.equal((await d.raw.packet())[0], 0xc3);
});

test('a malformed packet closes only its own connection', async () => {
  const good = await UrfaClient.connect({ host: '127.0.0.1', port, login: 'init', password: 'initpw', sslMode: 0 });
  const { raw } = await session();
  raw.send(Buffer.from([0xc1, 99, 0, 4]));
  await assert.rejects(raw.packet(), /closed/);
  const out = await good.callRaw(0x45, []);
  assert.equal(out[0]!.toString(), 'X1');
  await good.close();
});

test('a login that does not finish in time is closed', async () => {
  const { raw } = await session();
  const t0 = Date.now();
  await assert.rejects(raw.packet(), /closed/);
  assert.ok(Date.now() - t0 >= 1500);
});

test('our client speaks the same protocol: login, TLS, calls by schema, restore', async () => {
  const c = await UrfaClient.connect({ host: '127.0.0.1', port, login: 'bob', password: 'bobpw', loginType: 0 });
  assert.equal(c.sslMode, 6);
  const sid = c.sessionId!;
  await c.close();
  const w = await UrfaClient.connect({
    host: '127.0.0.1',
    port,
    login: 'web',
    password: 'webpw',
    restore: { sid, ip: '127.0.0.1' },
  });
  const out = await w.callRaw(-0x45, []);
  assert.equal(out[0]!.toString(), 'bob');
  await assert.rejects(w.callRaw(0x999, []), /does not know function 0x0999/);
  await w.close();
});
