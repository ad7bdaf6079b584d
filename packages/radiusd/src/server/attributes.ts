import { attributeDef, type AttributeName } from '@utm5/radius';

/**
 * Every attribute utm5_radius reads or writes itself, by dictionary name: the names are type-checked against the
 * dictionary tables of @utm5/radius (AttributeName), and numbers are looked up there, never written here.
 */
export const ATTR = {
  USER_NAME: 'User-Name',
  USER_PASSWORD: 'User-Password',
  CHAP_PASSWORD: 'CHAP-Password',
  CHAP_CHALLENGE: 'CHAP-Challenge',
  NAS_PORT_TYPE: 'NAS-Port-Type',
  CALLING_STATION_ID: 'Calling-Station-Id',
  CALLED_STATION_ID: 'Called-Station-Id',
  FRAMED_IP_ADDRESS: 'Framed-IP-Address',
  ACCT_STATUS_TYPE: 'Acct-Status-Type',
  ACCT_SESSION_ID: 'Acct-Session-Id',
  ACCT_SESSION_TIME: 'Acct-Session-Time',
  ACCT_INPUT_OCTETS: 'Acct-Input-Octets',
  ACCT_OUTPUT_OCTETS: 'Acct-Output-Octets',
  ACCT_INPUT_GIGAWORDS: 'Acct-Input-Gigawords',
  ACCT_OUTPUT_GIGAWORDS: 'Acct-Output-Gigawords',
  ACCT_TERMINATE_CAUSE: 'Acct-Terminate-Cause',
  EVENT_TIMESTAMP: 'Event-Timestamp',
  MESSAGE_AUTHENTICATOR: 'Message-Authenticator',
  NAS_PORT: 'NAS-Port',
  NAS_IDENTIFIER: 'NAS-Identifier',
  ACCT_INPUT_PACKETS: 'Acct-Input-Packets',
  ACCT_OUTPUT_PACKETS: 'Acct-Output-Packets',
  SERVICE_TYPE: 'Service-Type',
  FRAMED_PROTOCOL: 'Framed-Protocol',
  FRAMED_IP_NETMASK: 'Framed-IP-Netmask',
  FRAMED_ROUTING: 'Framed-Routing',
  FRAMED_MTU: 'Framed-MTU',
  CALLBACK_NUMBER: 'Callback-Number',
  CALLBACK_ID: 'Callback-Id',
  SESSION_TIMEOUT: 'Session-Timeout',
  ACCT_INTERIM_INTERVAL: 'Acct-Interim-Interval',
  STATE: 'State',
  EAP_MESSAGE: 'EAP-Message',
  ERROR_CAUSE: 'Error-Cause',
  MS_CHAP_CHALLENGE: 'MS-CHAP-Challenge',
  MS_CHAP_RESPONSE: 'MS-CHAP-Response',
  MS_CHAP2_RESPONSE: 'MS-CHAP2-Response',
  MS_CHAP_ERROR: 'MS-CHAP-Error',
  MS_CHAP2_SUCCESS: 'MS-CHAP2-Success',
  CISCO_AVPAIR: 'Cisco-AVPair',
} as const satisfies Record<string, AttributeName>;

/**
 * An attribute of a reply, by number (vendor 0 for the standard ones): the form the attributes configured for a NAS,
 * service or link come in from the core, so the server's own are kept the same way to be merged with them.
 */
export interface ReplyAttr {
  readonly vendor: number;
  readonly attr: number;
  readonly tag?: number;
  readonly value: string | number;
}

/** A reply attribute of the server's own, by name; a named value (Service-Type "Framed-User") becomes its number. */
export function replyAttr(name: AttributeName, value: string | number): ReplyAttr {
  const def = attributeDef(name);
  const named = typeof value === 'string' ? def.values.get(value) : undefined;
  return { vendor: def.vendor, attr: def.type, value: named ?? value };
}
