import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketDecoder, decodePacket, encodePacket, packData } from './packet';
import { ProtocolError } from '../wire/protocol-error';
import { i32, rawAttr, rawPacket } from '../testing/bytes';

// Fixture: a call packet for rpcf_core_version, written byte by byte from URFA.md.
const CALL_0045 = Buffer.from([0xc9, 35, 0x00, 0x0c, 0x03, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x45]);

test('a call packet encodes to the bytes URFA.md describes', () => {
  const p = { code: 0xc9, attrs: [{ type: 3, data: Buffer.from(i32(0x45)) }] };
  assert.deepEqual(encodePacket(p), CALL_0045);
  assert.deepEqual(decodePacket(CALL_0045), p);
});

test("negative function ids travel as two's complement", () => {
  const bytes = rawPacket(0xc9, rawAttr(3, i32(-0x4052)));
  assert.deepEqual([...bytes.subarray(8)], [0xff, 0xff, 0xbf, 0xae]);
  assert.equal(decodePacket(bytes).attrs[0]!.data.readInt32BE(0), -0x4052);
});

test('zero-length data is an empty string; the type may sit in the second header byte', () => {
  const p = decodePacket(Buffer.from([0xc8, 35, 0, 12, 5, 0, 0, 4, 0, 2, 0, 4]));
  assert.deepEqual(
    p.attrs.map((a) => [a.type, a.data.length]),
    [
      [5, 0],
      [2, 0],
    ],
  );
});

test('decode failures carry a reason and an offset', () => {
  const bad = (buf: Buffer, reason: string) =>
    assert.throws(
      () => decodePacket(buf),
      (e: unknown) => e instanceof ProtocolError && e.reason === reason,
    );
  bad(Buffer.from([0xc8, 34, 0, 4]), 'bad_version');
  bad(Buffer.from([0xc8, 35, 0, 9, 0]), 'bad_length');
  bad(Buffer.from([0xc8, 35, 0, 10, 5, 0, 0, 9, 1, 2]), 'bad_attribute'); // attribute runs past the packet
  bad(Buffer.from([0xc8, 35, 0, 10, 5, 0, 0, 2, 1, 2]), 'bad_attribute'); // attribute shorter than its header
  bad(Buffer.from([0xc8, 35, 0, 6, 5, 0]), 'bad_attribute'); // stray bytes
});

test('the stream decoder yields the same packets at every split point', () => {
  const a = rawPacket(0xc8, rawAttr(5, [1, 2, 3]), rawAttr(4, i32(4)));
  const stream = Buffer.concat([CALL_0045, a, CALL_0045]);
  for (let cut = 0; cut <= stream.length; cut++) {
    for (let cut2 = cut; cut2 <= stream.length; cut2 += 3) {
      const d = new PacketDecoder();
      const got = [
        ...d.push(stream.subarray(0, cut)),
        ...d.push(stream.subarray(cut, cut2)),
        ...d.push(stream.subarray(cut2)),
      ];
      assert.equal(got.length, 3, `split at ${cut}/${cut2}`);
      assert.deepEqual(got[1]!.attrs[0]!.data, Buffer.from([1, 2, 3]));
      assert.equal(d.buffered, 0);
    }
  }
});

test('the stream decoder rejects a wrong version or an impossible length at once', () => {
  assert.throws(() => new PacketDecoder().push(Buffer.from([0xc8, 36, 0, 4])), /version 36/);
  assert.throws(() => new PacketDecoder().push(Buffer.from([0xc8, 35, 0, 2])), /below the header size/);
});

test('data is packed into packets under the limit, never splitting a value', () => {
  const values = Array.from({ length: 10 }, (_, i) => Buffer.alloc(10_000, i));
  const packets = packData(0xc8, values);
  assert.equal(packets.length, 4); // 3 values (30,016 bytes) per packet below 32 KiB
  const d = new PacketDecoder();
  const back = packets.flatMap((p) => d.push(p)).flatMap((p) => p.attrs.map((a) => a.data));
  assert.deepEqual(back, values);
  assert.ok(packets.every((p) => p.length <= 0x7fff));
  assert.throws(
    () => packData(0xc8, [Buffer.alloc(0xffff)]),
    (e: unknown) => e instanceof ProtocolError && e.reason === 'too_large',
  );
});
