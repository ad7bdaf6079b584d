import {
  DEFAULT_DICTIONARY,
  RADIUS_CODES,
  decodePacket,
  encodeResponse,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  type AttributeInput,
  type AttributeValue,
  type RadiusPacket,
} from '@utm5/radius';
import { ATTR, type ReplyAttr } from './attributes';

export const CODE = {
  ACCESS_REQUEST: RADIUS_CODES['Access-Request'],
  ACCESS_ACCEPT: RADIUS_CODES['Access-Accept'],
  ACCESS_REJECT: RADIUS_CODES['Access-Reject'],
  ACCOUNTING_REQUEST: RADIUS_CODES['Accounting-Request'],
  ACCOUNTING_RESPONSE: RADIUS_CODES['Accounting-Response'],
  ACCESS_CHALLENGE: RADIUS_CODES['Access-Challenge'],
  STATUS_SERVER: RADIUS_CODES['Status-Server'],
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
    packet: p,
    code: p.code,
    identifier: p.identifier,
    authenticator: p.authenticator,
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
  if (typeof a.value === 'number' && def && (def.dataType === 'text' || def.dataType === 'octets'))
    return String(a.value);
  return a.value;
}

/** An attribute by number, its value typed for the dictionary, as the encoder takes it. */
export function replyAttrInput(a: ReplyAttr): AttributeInput {
  return { type: a.attr, vendor: a.vendor, value: typed(a), ...(a.tag ? { tag: a.tag } : {}) };
}

export function buildReply(
  req: RequestView,
  code: number,
  attrs: readonly (ReplyAttr | AttributeInput)[],
  secret: Buffer,
): Buffer {
  const inputs: AttributeInput[] = attrs.map((a) => ('attr' in a ? replyAttrInput(a) : a));
  return encodeResponse(req.packet, code, inputs, secret);
}
