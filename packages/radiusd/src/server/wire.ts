import {
  DEFAULT_DICTIONARY, decodePacket, encodeResponse, verifyMessageAuthenticator, verifyRequestAuthenticator, type AttributeInput, type AttributeValue,
  type RadiusPacket,
} from '../codec/index';
import type { ReplyAttr } from './authorize';

export const CODE = { ACCESS_REQUEST: 1, ACCESS_ACCEPT: 2, ACCESS_REJECT: 3, ACCOUNTING_REQUEST: 4, ACCOUNTING_RESPONSE: 5, ACCESS_CHALLENGE: 11 } as const;

/** Attributes the server reads, by dictionary name. */
export const ATTR = {
  USER_NAME: 'User-Name', USER_PASSWORD: 'User-Password', CHAP_PASSWORD: 'CHAP-Password', CHAP_CHALLENGE: 'CHAP-Challenge',
  NAS_PORT_TYPE: 'NAS-Port-Type', CALLING_STATION_ID: 'Calling-Station-Id', CALLED_STATION_ID: 'Called-Station-Id', FRAMED_IP_ADDRESS: 'Framed-IP-Address',
  ACCT_STATUS_TYPE: 'Acct-Status-Type', ACCT_SESSION_ID: 'Acct-Session-Id', ACCT_SESSION_TIME: 'Acct-Session-Time', ACCT_INPUT_OCTETS: 'Acct-Input-Octets',
  ACCT_OUTPUT_OCTETS: 'Acct-Output-Octets', ACCT_INPUT_GIGAWORDS: 'Acct-Input-Gigawords', ACCT_OUTPUT_GIGAWORDS: 'Acct-Output-Gigawords',
  ACCT_TERMINATE_CAUSE: 'Acct-Terminate-Cause', EVENT_TIMESTAMP: 'Event-Timestamp', MESSAGE_AUTHENTICATOR: 'Message-Authenticator',
  NAS_PORT: 'NAS-Port', NAS_IDENTIFIER: 'NAS-Identifier', ACCT_INPUT_PACKETS: 'Acct-Input-Packets', ACCT_OUTPUT_PACKETS: 'Acct-Output-Packets',
} as const;

/** A request as the server reads it: the decoded packet and the checks of its authenticators. */
export interface RequestView {
  readonly packet: RadiusPacket;
  readonly code: number;
  readonly identifier: number;
  readonly authenticator: Buffer;
  /** An Access-Request carried a Message-Authenticator that does not verify. */
  readonly badMessageAuthenticator: boolean;
  /** Accounting-Request: its hashed Request Authenticator verifies with the NAS secret. */
  readonly requestAuthenticatorValid: boolean;
  text(name: string): string | undefined;
  int(name: string): number | undefined;
  ip(name: string): string | undefined;
}

export function parseRequest(buf: Buffer, secret: Buffer): RequestView | { error: string } {
  const r = decodePacket(buf, secret);
  if (!r.ok) return { error: `${r.reason} at byte ${r.offset}: ${r.message}` };
  const p = r.packet;
  const hasMa = p.has(ATTR.MESSAGE_AUTHENTICATOR);
  return {
    packet: p, code: p.code, identifier: p.identifier, authenticator: p.authenticator,
    badMessageAuthenticator: hasMa && !verifyMessageAuthenticator(p, secret),
    requestAuthenticatorValid: p.code === CODE.ACCOUNTING_REQUEST ? verifyRequestAuthenticator(p, secret) : true,
    text: (n) => p.text(n),
    int: (n) => p.integer(n),
    ip: (n) => {
      const v = p.get(n);
      return typeof v === 'string' ? v : undefined;
    },
  };
}

/** Values from configuration (attribute tables hold text) typed for their attribute: integers as numbers. */
function typed(a: ReplyAttr): AttributeValue {
  const def = DEFAULT_DICTIONARY.attribute(a.vendor, a.attr);
  if (typeof a.value === 'string' && def && ['integer', 'byte', 'short', 'date'].includes(def.dataType)) {
    const named = def.values.get(a.value);
    if (named !== undefined) return named;
    if (/^\d+$/.test(a.value)) return Number(a.value);
  }
  if (typeof a.value === 'number' && def && (def.dataType === 'text' || def.dataType === 'octets')) return String(a.value);
  return a.value;
}

/** An attribute by number, its value typed for the dictionary, as the encoder takes it. */
export function replyAttrInput(a: ReplyAttr): AttributeInput {
  return { type: a.attr, vendor: a.vendor, value: typed(a), ...(a.tag ? { tag: a.tag } : {}) };
}

export function buildReply(req: RequestView, code: number, attrs: readonly (ReplyAttr | AttributeInput)[], secret: Buffer): Buffer {
  const inputs: AttributeInput[] = attrs.map((a) => ('attr' in a ? replyAttrInput(a) : a));
  return encodeResponse(req.packet, code, inputs, secret);
}
