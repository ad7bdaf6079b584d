import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replyLine } from './reply';

/** A reply packet from hand-written attribute bytes (header: code, id, length, a zero authenticator). */
function packet(code: number, id: number, attrHex: string): Buffer {
  const attrs = Buffer.from(attrHex.replace(/\s+/g, ''), 'hex');
  const head = Buffer.alloc(20);
  head.writeUInt8(code, 0);
  head.writeUInt8(id, 1);
  head.writeUInt16BE(20 + attrs.length, 2);
  return Buffer.concat([head, attrs]);
}

test('replyLine: standard attributes by type (text quoted, integer by name, address dotted, octets hex), in wire order', () => {
  // Reply-Message "Hi", Service-Type 2 (Framed-User), Framed-IP-Address 10.0.0.5, Class 0x0102, Session-Timeout 60
  const p = packet(2, 7, '12 04 4869  06 06 00000002  08 06 0a000005  19 04 0102  1b 06 0000003c');
  assert.equal(
    replyLine(p),
    'Access-Accept id=7 Reply-Message="Hi" Service-Type=Framed-User Framed-IP-Address=10.0.0.5 Class=0x0102 Session-Timeout=60',
  );
});

test('replyLine: vendor attributes by our dictionaries, several in one Vendor-Specific; unknown ones as Attr-26.<vendor>.<type>', () => {
  // 26: Mikrotik (0x3a8c) Rate-Limit "1M" and Address-List "a"; 26: Microsoft (0x137) Primary-DNS-Server 8.8.8.8;
  // 26: Cisco (9) h323-credit-time "60"; 26: vendor 4242 type 1 "x"; attribute 241 (unassigned) 0xff
  const p = packet(
    2,
    1,
    `1a 0d 00003a8c 08 04 314d 13 03 61
    1a 0c 00000137 1c 06 08080808
    1a 0a 00000009 66 04 3630
    1a 09 00001092 01 03 78
    f1 03 ff`,
  );
  assert.equal(
    replyLine(p),
    'Access-Accept id=1 Mikrotik-Rate-Limit="1M" Mikrotik-Address-List="a" MS-Primary-DNS-Server=8.8.8.8 ' +
      'h323-credit-time="60" Attr-26.4242.1=0x78 Attr-241=0xff',
  );
});

test('replyLine: a bad attribute length ends the line with the rest in hex; a bad vendor attribute shows the whole VSA', () => {
  // Reply-Message with length 1 (less than its own header)
  assert.equal(
    replyLine(packet(3, 2, '12 04 4869 12 01 00')),
    'Access-Reject id=2 Reply-Message="Hi" malformed-attribute-at-offset-24=0x120100',
  );
  // a Cisco VSA whose inner length (9) runs past its end
  assert.equal(
    replyLine(packet(5, 3, '1a 09 00000009 01 09 41')),
    'Accounting-Response id=3 Vendor-Specific=0x00000009010941',
  );
  assert.equal(replyLine(packet(44, 4, '')), 'CoA-ACK id=4');
});
