import type { AttributeInput } from '@utm5/radius';
import { ntPasswordHash, ntPasswordHashHash, sha1 } from './ms-chap';

/**
 * MPPE keys from MS-CHAP v2 (RFC 3079 3.4) and their RADIUS attributes (RFC 2548 2.4). The keys are derived from
 * the password and the peer's NT-Response; the codec hides MS-MPPE-Send-Key/Recv-Key with the salted scheme of
 * RFC 2548 2.4.2 when encodeResponse writes them, so these helpers deal in clear keys only.
 */

const MASTER_MAGIC = 'This is the MPPE Master Key';
const CLIENT_SEND_MAGIC = 'On the client side, this is the send key; on the server side, it is the receive key.';
const CLIENT_RECV_MAGIC = 'On the client side, this is the receive key; on the server side, it is the send key.';
const SHS_PAD1 = Buffer.alloc(40, 0x00);
const SHS_PAD2 = Buffer.alloc(40, 0xf2);

/** GetMasterKey: SHA1(PasswordHashHash || NT-Response || magic), first 16 bytes. */
export function mppeMasterKey(passwordHashHash: Buffer, ntResponse: Buffer): Buffer {
  return sha1(passwordHashHash, ntResponse, MASTER_MAGIC).subarray(0, 16);
}

/** GetAsymmetricStartKey: the send or receive key of the server (isServer) or the client. */
export function mppeAsymmetricStartKey(
  masterKey: Buffer,
  keyLength: 8 | 16,
  isSend: boolean,
  isServer: boolean,
): Buffer {
  const magic = isSend === isServer ? CLIENT_RECV_MAGIC : CLIENT_SEND_MAGIC;
  return sha1(masterKey, SHS_PAD1, magic, SHS_PAD2).subarray(0, keyLength);
}

export interface MppeKeys {
  /** MS-MPPE-Send-Key: encrypts what the NAS sends to the peer. */
  readonly sendKey: Buffer;
  /** MS-MPPE-Recv-Key: decrypts what the NAS receives. */
  readonly recvKey: Buffer;
}

/** The NAS's (server side) 128-bit start keys after an MS-CHAP v2 success, as FreeRADIUS sends them. */
export function mppeKeysFromMsChapV2(password: string, ntResponse: Buffer): MppeKeys {
  const master = mppeMasterKey(ntPasswordHashHash(ntPasswordHash(password)), ntResponse);
  return {
    sendKey: mppeAsymmetricStartKey(master, 16, true, true),
    recvKey: mppeAsymmetricStartKey(master, 16, false, true),
  };
}

/**
 * The Access-Accept attributes that switch MPPE on: the keys, the policy (1 allowed, 2 required) and the allowed
 * types (bit 2: 40-bit, bit 4: 128-bit; 6 = both), RFC 2548 2.4.
 */
export function mppeAttributes(
  keys: MppeKeys,
  policy: 'Encryption-Allowed' | 'Encryption-Required' = 'Encryption-Allowed',
  types = 6,
): AttributeInput[] {
  return [
    { name: 'MS-MPPE-Encryption-Policy', value: policy },
    { name: 'MS-MPPE-Encryption-Types', value: types },
    { name: 'MS-MPPE-Send-Key', value: keys.sendKey },
    { name: 'MS-MPPE-Recv-Key', value: keys.recvKey },
  ];
}
