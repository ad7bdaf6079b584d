import type { VendorTable } from './types';

/**
 * Microsoft (311), RFC 2548: the MS-CHAP v1/v2 attributes that carry the challenge, the peer's response and our
 * success/error answer, and the MPPE keys and policy a PPTP/L2TP NAS needs for encryption. Names as FreeRADIUS's.
 */
export const MICROSOFT = {
  id: 311,
  name: 'Microsoft',
  attributes: [
    [1, 'MS-CHAP-Response', 'octets'],
    [2, 'MS-CHAP-Error', 'text'],
    [3, 'MS-CHAP-CPW-1', 'octets'],
    [4, 'MS-CHAP-CPW-2', 'octets'],
    [5, 'MS-CHAP-LM-Enc-PW', 'octets'],
    [6, 'MS-CHAP-NT-Enc-PW', 'octets'],
    [7, 'MS-MPPE-Encryption-Policy', 'integer', { values: { 'Encryption-Allowed': 1, 'Encryption-Required': 2 } }],
    // RFC 2548 calls it both singular and plural; the plural is FreeRADIUS's spelling, the singular is accepted.
    [
      8,
      'MS-MPPE-Encryption-Types',
      'integer',
      {
        aliases: ['MS-MPPE-Encryption-Type'],
        values: { 'RC4-40bit-Allowed': 1, 'RC4-128bit-Allowed': 2, 'RC4-40or128-bit-Allowed': 6 },
      },
    ],
    [9, 'MS-RAS-Vendor', 'integer'],
    [10, 'MS-CHAP-Domain', 'text'],
    [11, 'MS-CHAP-Challenge', 'octets'],
    // Hidden like User-Password (RFC 2548 2.4.1); 24 bytes of keys padded to 32, so decoded as octets, unstripped.
    [12, 'MS-CHAP-MPPE-Keys', 'octets', { hiding: 'user-password' }],
    [13, 'MS-BAP-Usage', 'integer', { values: { 'Not-Allowed': 0, Allowed: 1, Required: 2 } }],
    [14, 'MS-Link-Utilization-Threshold', 'integer'],
    [15, 'MS-Link-Drop-Time-Limit', 'integer'],
    [16, 'MS-MPPE-Send-Key', 'octets', { hiding: 'salted' }],
    [17, 'MS-MPPE-Recv-Key', 'octets', { hiding: 'salted' }],
    [18, 'MS-RAS-Version', 'text'],
    [19, 'MS-Old-ARAP-Password', 'octets'],
    [20, 'MS-New-ARAP-Password', 'octets'],
    [21, 'MS-ARAP-PW-Change-Reason', 'integer'],
    [22, 'MS-Filter', 'octets'],
    [23, 'MS-Acct-Auth-Type', 'integer', { values: { PAP: 1, CHAP: 2, 'MS-CHAP-1': 3, 'MS-CHAP-2': 4, EAP: 5 } }],
    [24, 'MS-Acct-EAP-Type', 'integer', { values: { MD5: 4, OTP: 5, 'Generic-Token-Card': 6, TLS: 13 } }],
    [25, 'MS-CHAP2-Response', 'octets'],
    [26, 'MS-CHAP2-Success', 'octets'],
    [27, 'MS-CHAP2-CPW', 'octets'],
    [28, 'MS-Primary-DNS-Server', 'ipaddr'],
    [29, 'MS-Secondary-DNS-Server', 'ipaddr'],
    [30, 'MS-Primary-NBNS-Server', 'ipaddr'],
    [31, 'MS-Secondary-NBNS-Server', 'ipaddr'],
  ],
} as const satisfies VendorTable;
