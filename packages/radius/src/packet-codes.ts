/**
 * RADIUS packet codes this codec accepts: RFC 2865 access, RFC 2866 accounting, RFC 5997 Status-Server, RFC 5176
 * Disconnect and CoA. Any other code is refused by the decoder (reason 'code'), which is what the manual's "packets
 * with other codes are ignored" needs.
 */
export const RADIUS_CODES = {
  'Access-Request': 1,
  'Access-Accept': 2,
  'Access-Reject': 3,
  'Accounting-Request': 4,
  'Accounting-Response': 5,
  'Access-Challenge': 11,
  'Status-Server': 12,
  'Status-Client': 13,
  'Disconnect-Request': 40,
  'Disconnect-ACK': 41,
  'Disconnect-NAK': 42,
  'CoA-Request': 43,
  'CoA-ACK': 44,
  'CoA-NAK': 45,
} as const;

export type RadiusCodeName = keyof typeof RADIUS_CODES;
export type RadiusCode = (typeof RADIUS_CODES)[RadiusCodeName];

const NAMES = new Map<number, RadiusCodeName>(
  Object.entries(RADIUS_CODES).map(([name, code]) => [code, name as RadiusCodeName]),
);

export function codeName(code: number): RadiusCodeName | undefined {
  return NAMES.get(code);
}

/** Accepts a code by name or number; undefined when the codec does not know it. */
export function codeNumber(code: RadiusCodeName | number): RadiusCode | undefined {
  if (typeof code === 'number') return NAMES.has(code) ? (code as RadiusCode) : undefined;
  return RADIUS_CODES[code];
}

/**
 * Requests whose authenticator is MD5 over the packet (with a zeroed authenticator) and the secret: RFC 2866 3
 * (Accounting-Request) and RFC 5176 3 (Disconnect/CoA-Request). Access-Request and Status-Server carry a random one.
 */
export function hasHashedRequestAuthenticator(code: number): boolean {
  return code === 4 || code === 40 || code === 43;
}

export function isRequestCode(code: number): boolean {
  return code === 1 || code === 4 || code === 12 || code === 13 || code === 40 || code === 43;
}
