import { randomBytes } from 'node:crypto';
import { RadiusEncodeError } from './encode-error';
import { md5Of as md5 } from './md5';

/**
 * The two ways RADIUS hides attribute values with the shared secret. Both XOR 16-byte blocks with a chain of MD5
 * digests seeded by the secret and the request authenticator; the salted form adds two random bytes (high bit set)
 * to the seed and a length byte to the plaintext, so equal keys never show equal ciphertext.
 */

/** RFC 2865 5.2: pads with NULs to a multiple of 16 (16..128 bytes) and hides `plain`. */
export function hideUserPassword(plain: Buffer, secret: Buffer, authenticator: Buffer): Buffer {
  const len = Math.max(16, Math.ceil(plain.length / 16) * 16);
  if (len > 128) throw new RadiusEncodeError(`User-Password: ${plain.length} bytes, RFC 2865 allows 128 at most`);
  const out = Buffer.alloc(len);
  plain.copy(out);
  let prev = authenticator;
  for (let i = 0; i < len; i += 16) {
    const b = md5(secret, prev);
    for (let j = 0; j < 16; j++) out[i + j]! ^= b[j]!;
    prev = out.subarray(i, i + 16);
  }
  return out;
}

/** Reverses hideUserPassword; the result keeps its NUL padding. Undefined when the length is not 16..128 by 16. */
export function unhideUserPassword(hidden: Buffer, secret: Buffer, authenticator: Buffer): Buffer | undefined {
  const len = hidden.length;
  if (len < 16 || len > 128 || len % 16 !== 0) return undefined;
  const out = Buffer.alloc(len);
  let prev = authenticator;
  for (let i = 0; i < len; i += 16) {
    const b = md5(secret, prev);
    for (let j = 0; j < 16; j++) out[i + j] = hidden[i + j]! ^ b[j]!;
    prev = hidden.subarray(i, i + 16);
  }
  return out;
}

/** Drops the NUL padding RFC 2865 puts after a password. */
export function stripNulPadding(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

/**
 * RFC 2868 3.5 (Tunnel-Password) and RFC 2548 2.4.2 (MS-MPPE-Send-Key/Recv-Key): salt || hidden(len || plain || pad).
 * `salt` is for tests; by default two random bytes, the first with its high bit set as both RFCs require.
 */
export function saltEncrypt(
  plain: Buffer,
  secret: Buffer,
  authenticator: Buffer,
  salt: Buffer = randomBytes(2),
): Buffer {
  if (plain.length > 239) throw new RadiusEncodeError(`salted value of ${plain.length} bytes; 239 fit in an attribute`);
  const s = Buffer.from([salt[0]! | 0x80, salt[1]!]);
  const len = Math.ceil((plain.length + 1) / 16) * 16;
  const out = Buffer.alloc(2 + len);
  s.copy(out);
  out[2] = plain.length;
  plain.copy(out, 3);
  let b = md5(secret, authenticator, s);
  for (let i = 2; i < out.length; i += 16) {
    for (let j = 0; j < 16; j++) out[i + j]! ^= b[j]!;
    b = md5(secret, out.subarray(i, i + 16));
  }
  return out;
}

/** Reverses saltEncrypt; undefined when the length or the embedded length byte is impossible. */
export function saltDecrypt(data: Buffer, secret: Buffer, authenticator: Buffer): Buffer | undefined {
  if (data.length < 18 || (data.length - 2) % 16 !== 0) return undefined;
  const plain = Buffer.alloc(data.length - 2);
  let b = md5(secret, authenticator, data.subarray(0, 2));
  for (let i = 2; i < data.length; i += 16) {
    for (let j = 0; j < 16; j++) plain[i - 2 + j] = data[i + j]! ^ b[j]!;
    b = md5(secret, data.subarray(i, i + 16));
  }
  const n = plain[0]!;
  return n <= plain.length - 1 ? plain.subarray(1, 1 + n) : undefined;
}
