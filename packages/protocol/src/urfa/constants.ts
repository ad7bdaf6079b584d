/** URFA wire constants (see shared/URFA.md). */
export const URFA_VERSION = 35;
export const URFA_HEADER = 4;
export const URFA_MAX_PACKET = 0xffff;

export const Code = {
  SESSION_INIT: 0xc0,
  ACCESS_REQUEST: 0xc1,
  ACCESS_ACCEPT: 0xc2,
  ACCESS_REJECT: 0xc3,
  SESSION_DATA: 0xc8,
  CALL: 0xc9,
  TERMINATE: 0xcb,
  /** Early ourfa headers name 0xCA the terminate code; accepted as such. */
  TERMINATE_OLD: 0xca,
} as const;

/**
 * Outputs are sent in packets below 32 KiB: some Python clients read the packet length as a signed 16-bit number.
 */
export const URFA_MAX_OUTPUT_PACKET = 0x7fff;

export const AttrType = {
  LOGIN_TYPE: 1,
  LOGIN: 2,
  FUNCTION: 3,
  TERMINATION: 4,
  DATA: 5,
  SESSION_ID: 6,
  CLIENT_IP: 7,
  CHAP_CHALLENGE: 8,
  CHAP_RESPONSE: 9,
  SSL_REQUEST: 10,
} as const;

/** Values of the termination attribute (4). */
export const Termination = {
  ACCESS_REJECTED: 1,
  UNKNOWN_FUNCTION: 3,
  NORMAL: 4,
  DROP_SESSION: 6,
  FORBIDDEN: 7,
} as const;

/** SSL modes a client may request in attribute 10. */
export const SslMode = {
  NONE: 0,
  TLS1_ADH: 1,
  SSL3_ADH: 2,
  SSL3_CERT: 3,
  SSL3_ADMIN_CERT: 4,
  TLS12_CLIENT_CERT: 5,
  TLS_AUTO: 6,
} as const;

/**
 * Login types as clients send them. They disagree (NetUP's PHP and ourfa: 0 user, 1 system, 2 card or dealer; the Go
 * client: 1 user, 2 system; k-shym's PHP: always 2), so the core decides by who owns the login and uses the type
 * only to order the candidates.
 */
export const LoginType = {
  CUSTOMER: 0,
  SYSTEM: 1,
  ANY: 2,
  CARD: 3,
} as const;
