import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RadiusAttribute, RadiusLib, RadiusPacket } from './helpers/radius-lib';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';

// The responder has the radius package's RFC dictionaries only (radgen, another process, adds vendor ones): vendor
// attributes are checked as bytes, so they do not rest on radgen's own tables.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped package; helpers/radius-lib declares its shape
const radius = require('radius') as RadiusLib;
/** The manual's examples use this secret, user and password. */
const SECRET = 'secret';

interface Responder {
  port: number;
  /** Every request that decoded with SECRET (an Accounting-Request only when its authenticator fits), raw too. */
  received: { packet: RadiusPacket; raw: Buffer }[];
  close(): void;
}

/**
 * A RADIUS server on loopback: accepts `username`/`password` (Access-Accept with a few attributes, vendor ones
 * included), rejects other passwords, answers accounting and Status-Server, and never answers the user `silent`.
 */
async function responder(): Promise<Responder> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const received: Responder['received'] = [];
  sock.on('message', (msg, peer) => {
    let packet: RadiusPacket;
    try {
      packet = radius.decode({ packet: msg, secret: SECRET });
    } catch {
      return; // a wrong secret in an Accounting-Request: dropped, as servers do
    }
    received.push({ packet, raw: Buffer.from(msg) });
    const reply = answer(packet);
    if (reply) sock.send(radius.encode_response({ packet, secret: SECRET, ...reply }), peer.port, peer.address);
  });
  return { port: (sock.address() as AddressInfo).port, received, close: () => sock.close() };
}

function answer(p: RadiusPacket): { code: string; attributes: RadiusAttribute[] } | undefined {
  const user = p.attributes['User-Name'];
  if (user === 'silent') return undefined;
  if (p.code === 'Access-Request' && p.attributes['User-Password'] === 'password') {
    return {
      code: 'Access-Accept',
      attributes: [
        ['Reply-Message', `Welcome, ${user}`],
        ['Session-Timeout', 3600],
        ['Framed-IP-Address', '10.0.0.5'],
        ['Vendor-Specific', 14988, [[8, Buffer.from('1M/2M')]]],
        ['Vendor-Specific', 9, [[1, Buffer.from('ip:addr-pool=pool1')]]],
      ],
    };
  }
  if (p.code === 'Access-Request') return { code: 'Access-Reject', attributes: [['Reply-Message', 'bad password']] };
  if (p.code === 'Status-Server')
    return {
      code: 'Access-Accept',
      attributes: [
        ['Reply-Message', 'alive'],
        ['Vendor-Specific', 4242, [[1, Buffer.from('x')]]],
      ],
    };
  return { code: 'Accounting-Response', attributes: [] };
}

async function radgen(r: Responder, args: string[]) {
  return runProgram('utm5_radgen', ['-h', '127.0.0.1', '-p', String(r.port), ...args], { cwd: ROOT });
}

async function withResponder(fn: (r: Responder) => Promise<void>): Promise<void> {
  const r = await responder();
  try {
    await fn(r);
  } finally {
    r.close();
  }
}

/** A Vendor-Specific (26) value holding one attribute (RFC 2865 §5.26). */
function vsa(vendor: number, type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt32BE(vendor);
  head.writeUInt8(type, 4);
  head.writeUInt8(2 + value.length, 5);
  return Buffer.concat([head, value]);
}

const rawOf = (p: RadiusPacket) => p.raw_attributes.map(([t, v]) => [t, v.toString('hex')]);

test("utm5_radgen: the manual's Access-Request example (PAP) is accepted, and the reply printed on one line", () =>
  withResponder(async (r) => {
    const res = await radgen(r, ['-s', 'secret', '-u', 'password', '-a', '0:1:0:username']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(
      res.stdout,
      'Access-Accept id=1 Reply-Message="Welcome, username" Session-Timeout=3600 Framed-IP-Address=10.0.0.5 ' +
        'Mikrotik-Rate-Limit="1M/2M" Cisco-AVPair="ip:addr-pool=pool1"\n',
    );
    assert.equal(r.received.length, 1);
    const p = r.received[0]!.packet;
    assert.deepEqual(
      [p.code, p.identifier, p.attributes['User-Name'], p.attributes['User-Password']],
      ['Access-Request', 1, 'username', 'password'],
    );
    assert.deepEqual(
      p.raw_attributes.map(([t]) => t),
      [2, 1],
      'attributes in command-line order',
    );
    assert.equal(p.raw_attributes[0]![1].length, 16, 'the password hidden in one 16-byte block');
    assert.notEqual(p.raw_attributes[0]![1].subarray(0, 8).toString(), 'password');
  }));

test('utm5_radgen: a rejected password prints the Access-Reject and exits 1; a wrong secret is named', () =>
  withResponder(async (r) => {
    const rejected = await radgen(r, ['-s', 'secret', '-u', 'guess', '-a', '0:1:0:username']);
    assert.equal(rejected.code, 1);
    assert.equal(rejected.stdout, 'Access-Reject id=1 Reply-Message="bad password"\n');
    const wrong = await radgen(r, ['-s', 'not-the-secret', '-u', 'password', '-a', '0:1:0:username']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stdout, '');
    assert.match(
      wrong.stderr,
      /^utm5_radgen: the Access-Reject reply to Access-Request id 1 fails the Response Authenticator check: -s is not the secret/,
    );
    assert.equal(wrong.stderr.trim().split('\n').length, 1);
  }));

test("utm5_radgen -c 4: the manual's accounting start and stop examples", () =>
  withResponder(async (r) => {
    const start = await radgen(r, [
      '-s',
      'secret',
      '-a',
      '0:1:0:username',
      '-a',
      '0:40:1:1',
      '-a',
      '0:44:0:sessionid1',
      '-c',
      '4',
    ]);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(start.stdout, 'Accounting-Response id=1\n');
    const stop = await radgen(r, [
      '-s',
      'secret',
      '-a',
      '0:1:0:username',
      '-a',
      '0:32:0:localhost',
      '-a',
      '0:40:1:2',
      '-a',
      '0:44:0:sessionid1',
      '-a',
      '0:46:1:100',
      '-c',
      '4',
    ]);
    assert.equal(stop.code, 0, stop.stderr);
    // decoding checked each Request Authenticator (MD5 of the packet and the secret): a bad one is dropped
    assert.deepEqual(
      r.received.map((x) => [x.packet.code, x.packet.attributes]),
      [
        [
          'Accounting-Request',
          { 'User-Name': 'username', 'Acct-Status-Type': 'Start', 'Acct-Session-Id': 'sessionid1' },
        ],
        [
          'Accounting-Request',
          {
            'User-Name': 'username',
            'NAS-Identifier': 'localhost',
            'Acct-Status-Type': 'Stop',
            'Acct-Session-Id': 'sessionid1',
            'Acct-Session-Time': 100,
          },
        ],
      ],
    );
  }));

test('utm5_radgen -a vendor attributes (Cisco-AVPair with colons, Mikrotik, Microsoft), integers as addresses, -b hex', () =>
  withResponder(async (r) => {
    const res = await radgen(r, [
      '-s',
      'secret',
      '-c',
      '4',
      '-a',
      ':1:0:username',
      '-a',
      '0:40:1:3',
      '-a',
      '9:1:0:ip:addr-pool=pool1',
      '-a',
      '14988:8:0:10M/10M',
      '-a',
      '311:7:1:2',
      '-a',
      '0:8:1:10.1.2.3',
      '-a',
      '0:27:1:0x10',
      '-b',
      '0:25:0xa0b0c0',
      '-b',
      '311:11:00112233445566778899aabbccddeeff',
    ]);
    assert.equal(res.code, 0, res.stderr);
    const hex = (s: string) => Buffer.from(s).toString('hex');
    assert.deepEqual(rawOf(r.received[0]!.packet), [
      [1, hex('username')],
      [40, '00000003'],
      [26, vsa(9, 1, Buffer.from('ip:addr-pool=pool1')).toString('hex')],
      [26, vsa(14988, 8, Buffer.from('10M/10M')).toString('hex')],
      [26, vsa(311, 7, Buffer.from('00000002', 'hex')).toString('hex')],
      [8, '0a010203'],
      [27, '00000010'],
      [25, 'a0b0c0'],
      [26, vsa(311, 11, Buffer.from('00112233445566778899aabbccddeeff', 'hex')).toString('hex')],
    ]);
  }));

test('utm5_radgen -n sends requests one after another with the next identifiers; -f supplies the authenticators', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-radgen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'auth');
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
  writeFileSync(file, bytes);
  await withResponder(async (r) => {
    const acct = await radgen(r, [
      '-s',
      'secret',
      '-c',
      '4',
      '-i',
      '254',
      '-n',
      '3',
      '-a',
      '0:1:0:username',
      '-a',
      '0:40:1:3',
    ]);
    assert.equal(acct.code, 0, acct.stderr);
    assert.equal(acct.stdout, 'Accounting-Response id=254\nAccounting-Response id=255\nAccounting-Response id=0\n');
    assert.deepEqual(
      r.received.map((x) => x.packet.identifier),
      [254, 255, 0],
    );
    r.received.length = 0;
    const auth = await radgen(r, [
      '-s',
      'secret',
      '-u',
      'password',
      '-a',
      '0:1:0:username',
      '--count',
      '3',
      '-f',
      file,
    ]);
    assert.equal(auth.code, 0, auth.stderr);
    assert.equal(auth.stdout.split('\n').filter((l) => l.startsWith('Access-Accept id=')).length, 3);
    // the file's 16-byte blocks in turn, starting over at its end; the password hidden with each
    assert.deepEqual(
      r.received.map((x) => x.packet.authenticator.toString('hex')),
      [bytes.subarray(0, 16), bytes.subarray(16), bytes.subarray(0, 16)].map((b) => b.toString('hex')),
    );
    assert.deepEqual(
      r.received.map((x) => x.packet.attributes['User-Password']),
      ['password', 'password', 'password'],
    );
  });
});

test('utm5_radgen -q sends without waiting; no reply is retried -r times, -t apart, then reported', () =>
  withResponder(async (r) => {
    const started = Date.now();
    const quick = await radgen(r, ['-s', 'secret', '-q', '-u', 'password', '-a', '0:1:0:silent']);
    assert.deepEqual([quick.code, quick.stdout, quick.stderr], [0, '', '']);
    for (let i = 0; i < 50 && r.received.length < 1; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(r.received.length, 1);
    r.received.length = 0;
    const silent = await radgen(r, ['-s', 'secret', '-u', 'password', '-a', '0:1:0:silent', '-t', '0.2', '-r', '2']);
    assert.equal(silent.code, 1);
    assert.match(
      silent.stderr,
      /^utm5_radgen: no reply to Access-Request id 1 from 127\.0\.0\.1:\d+ after 3 tries 0\.2 s apart/,
    );
    assert.equal(r.received.length, 3);
    assert.ok(
      r.received.every((x) => x.raw.equals(r.received[0]!.raw)),
      'a retry resends the same packet',
    );
    assert.ok(Date.now() - started < 20_000);
  }));

test('utm5_radgen -c Status-Server carries a Message-Authenticator; unknown reply attributes print as Attr-…', () =>
  withResponder(async (r) => {
    const res = await radgen(r, ['-s', 'secret', '-c', 'Status-Server']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /^Access-Accept id=1 Reply-Message="alive" Attr-26\.4242\.1=0x78 Message-Authenticator=0x[0-9a-f]{32}\n$/,
    );
    // the package verified it on decoding (a bad one throws, and the request is not recorded)
    assert.ok(r.received[0]!.packet.attributes['Message-Authenticator']);
    const ma = await radgen(r, ['-s', 'secret', '--message-authenticator', '-u', 'password', '-a', '0:1:0:username']);
    assert.equal(ma.code, 0, ma.stderr);
    assert.deepEqual(
      r.received[1]!.packet.raw_attributes.map(([t]) => t),
      [2, 1, 80],
    );
  }));

test('utm5_radgen refuses bad options with one line naming the option and value, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['-a', '0:1:2:x'], /-a 0:1:2:x: is_digit is 2/],
    [['-a', '0:40:1:start'], /-a 0:40:1:start: start is not an integer/],
    [['-a', '0:300:0:x'], /-a 0:300:0:x: attr_id 300 is not an integer 1\.\.255/],
    [['-a', '1:0:username'], /-a 1:0:username: expected vendor_id:attr_id:is_digit:value/],
    [['-a', '0:1:0:'], /-a 0:1:0:: the value has 0 bytes/],
    [['-a', `9:1:0:${'x'.repeat(248)}`], /the value has 248 bytes: a vendor attribute carries 1 to 247/],
    [['-b', '0:25:abc'], /-b 0:25:abc: an odd number of hex digits/],
    [['-b', '0:25:xy'], /-b 0:25:xy: expected vendor_id:attr_id:hex/],
    [['-c', '2'], /-c 2: expected a request code: 1 Access-Request, 4 Accounting-Request/],
    [['-i', '256'], /-i 256: expected an integer 0\.\.255/],
    [['-t', '0'], /-t 0: expected seconds/],
    [['-u', 'pw', '-c', '4'], /-u: User-Password goes in Access-Request \(-c 1\) only/],
    [['-f', '/nonexistent/auth'], /-f \/nonexistent\/auth: ENOENT/],
    [['-f', '/dev/null'], /-f \/dev\/null: holds 0 bytes: an authenticator needs 16/],
  ];
  for (const [args, msg] of cases) {
    const res = await runProgram('utm5_radgen', ['-p', '9', '-s', 'secret', ...args], { cwd: ROOT });
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, msg);
    assert.equal(res.stderr.trim().split('\n').length, 1);
  }
  const noSecret = await runProgram('utm5_radgen', ['-a', '0:1:0:username'], { cwd: ROOT });
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /^utm5_radgen: -s: the shared secret is required/);
  const version = await runProgram('utm5_radgen', ['-v'], { cwd: ROOT });
  assert.match(version.stdout, /^utm5_radgen \S+ \(UTM5-TS\)\n$/);
});
