import { TEL_RETURN_CODE, type TelAuthorizeArgs, type TelAuthorizeResult, type TelCallWire } from '@utm5/protocol';
import type { AttributeName } from '@utm5/radius';
import { chapChallengeOf } from '../auth/chap';
import { ATTR, replyAttr, type ReplyAttr } from '../server/attributes';
import type { RequestView } from '../server/wire';
import { extractField, type FieldFormat } from './field-format';
import { h323Attr, parseH323Time } from './h323-attrs';

/** The telephony parameters of radius5.cfg, as the request handling reads them. */
export interface TelOptions {
  /** radius_auth_h323_remote_address: the login of an Access-Request is its h323-remote-address. */
  readonly loginFromRemoteAddress: boolean;
  /** radius_auth_tel_ext_reg: Calling-Station-Id = Called-Station-Id is a registration too. */
  readonly extendedRegistration: boolean;
  /** radius_nas_port_tel: NAS-Port-Type values allowed for telephony; empty: no check. */
  readonly nasPorts: readonly number[];
  /** tel_session_timeout. */
  readonly sessionTimeout: number;
  /** h323_currency. */
  readonly currency: string;
  /** h323_return_code_positive: a refused registration is an Access-Accept whose h323-return-code says why. */
  readonly returnCodePositive: boolean;
  /** send_xpgk_ep_number, send_h323_ivr_in. */
  readonly sendXpgkEpNumber: boolean;
  readonly sendIvrIn: boolean;
  /** h323_origin_reject: calls whose h323-call-origin is this cost nothing. */
  readonly originReject: string | undefined;
  /** radius_acct_rewrite_login_answer / _originate. */
  readonly rewriteLoginAnswer: boolean;
  readonly rewriteLoginOriginate: boolean;
  readonly incomingTrunk: FieldFormat | undefined;
  readonly outgoingTrunk: FieldFormat | undefined;
  readonly pbxId: FieldFormat | undefined;
}

/** The parts of a call every telephony request carries. */
function callFields(req: RequestView, o: TelOptions) {
  const p = req.packet;
  return {
    // Cut to what tel_calls keeps, so an over-long value from a gateway cannot make the core refuse the record.
    calling: (req.text(ATTR.CALLING_STATION_ID) ?? '').slice(0, 64),
    called: (req.text(ATTR.CALLED_STATION_ID) ?? '').slice(0, 64),
    incomingTrunk: extractField(p, o.incomingTrunk).slice(0, 128),
    outgoingTrunk: extractField(p, o.outgoingTrunk).slice(0, 128),
    pbxId: extractField(p, o.pbxId).slice(0, 128),
  };
}

/** The manual: an Access-Request without Called-Station-Id registers the caller (so does Calling = Called with ext_reg). */
export function isRegistration(req: RequestView, o: TelOptions): boolean {
  const called = req.text(ATTR.CALLED_STATION_ID) ?? '';
  if (called === '') return true;
  return o.extendedRegistration && called === (req.text(ATTR.CALLING_STATION_ID) ?? '');
}

/** The login of a telephony Access-Request: User-Name, or h323-remote-address (radius_auth_h323_remote_address). */
export function telAuthLogin(req: RequestView, o: TelOptions): string {
  const raw = o.loginFromRemoteAddress ? h323Attr(req.packet, 'h323-remote-address') : req.text(ATTR.USER_NAME);
  return (raw ?? '').trim().toLowerCase();
}

/**
 * What the core is asked for an Access-Request: the login, the call (a registration has called = ''), and the
 * password as the NAS relayed it (PAP in clear, CHAP as response and challenge). Undefined with the reason when the
 * request cannot be asked about.
 */
export function telAuthorizeArgs(
  req: RequestView,
  o: TelOptions,
  nas: string,
): { args: TelAuthorizeArgs } | { refuse: string } {
  const login = telAuthLogin(req, o);
  if (login === '')
    return {
      refuse: o.loginFromRemoteAddress
        ? 'telephony request without h323-remote-address (radius_auth_h323_remote_address)'
        : 'telephony request without User-Name',
    };
  if (login.length > 255) return { refuse: 'login longer than 255 characters' };
  const type = req.int(ATTR.NAS_PORT_TYPE);
  if (o.nasPorts.length > 0 && (type === undefined || !o.nasPorts.includes(type)))
    return { refuse: `NAS-Port-Type ${type ?? 'absent'} is not among radius_nas_port_tel` };
  const f = callFields(req, o);
  const p = req.packet;
  const pap = p.get(ATTR.USER_PASSWORD);
  const chap = p.get(ATTR.CHAP_PASSWORD);
  const base = {
    login,
    ...f,
    called: isRegistration(req, o) ? '' : f.called,
    nas,
    sessionTimeout: o.sessionTimeout,
  };
  if (pap !== undefined)
    return { args: { ...base, password: Buffer.isBuffer(pap) ? pap.toString('utf8') : String(pap) } };
  if (Buffer.isBuffer(chap))
    return {
      args: {
        ...base,
        password: '',
        chap: { response: chap.toString('hex'), challenge: chapChallengeOf(p).toString('hex') },
      },
    };
  return { args: { ...base, password: '' } };
}

const vsa = (name: AttributeName, value: string): ReplyAttr => replyAttr(name, `${name}=${value}`);

/** The numbers of the link for the gatekeeper (send_xpgk_ep_number, send_h323_ivr_in). */
function numberPairs(numbers: readonly string[], o: TelOptions): ReplyAttr[] {
  if (numbers.length === 0) return [];
  const list = numbers.join(';');
  const out: ReplyAttr[] = [];
  if (o.sendXpgkEpNumber) out.push(replyAttr(ATTR.CISCO_AVPAIR, `xpgk-ep-number=${list}`));
  if (o.sendIvrIn) out.push(replyAttr(ATTR.CISCO_AVPAIR, `h323-ivr-in=terminal-alias:${list}`));
  return out;
}

/** What goes back to the gateway: Access-Accept or Access-Reject and its h323 attributes. */
export function telReply(
  r: TelAuthorizeResult,
  registration: boolean,
  o: TelOptions,
): { accept: boolean; attrs: ReplyAttr[] } {
  if (r.accepted) {
    const attrs: ReplyAttr[] = [vsa('h323-return-code', String(TEL_RETURN_CODE.ACTIVE))];
    attrs.push(vsa('h323-credit-amount', r.creditAmount.toFixed(2)), vsa('h323-currency', o.currency));
    if (!registration) attrs.push(vsa('h323-credit-time', String(r.creditTime)));
    attrs.push(...numberPairs(r.numbers, o));
    return { accept: true, attrs };
  }
  // The manual's IVR flow: a registration's answer says why (1 no such user, 2 blocked); a call's refusal is plain.
  if (!registration) return { accept: false, attrs: [] };
  return { accept: o.returnCodePositive, attrs: [vsa('h323-return-code', String(r.code))] };
}

/**
 * An Accounting-Request of a call as the core's record: the call leg's uid (h323-conf-id and h323-call-origin), the
 * login (User-Name, or h323-remote-address for the origins radius_acct_rewrite_login_* name), the times (Start:
 * h323-connect-time, else the arrival; Stop: h323-disconnect-time, else the arrival) and the duration
 * (Acct-Session-Time, else disconnect - connect; -1 when neither: the core takes the end minus the Start's time).
 */
export function telCallWire(
  req: RequestView,
  op: 'start' | 'stop',
  o: TelOptions,
  nas: string,
  arrival: number,
): TelCallWire {
  const p = req.packet;
  const confId = h323Attr(p, 'h323-conf-id') ?? '';
  const origin = (h323Attr(p, 'h323-call-origin') ?? '').toLowerCase();
  const remote = h323Attr(p, 'h323-remote-address') ?? '';
  const rewrite = (origin === 'answer' && o.rewriteLoginAnswer) || (origin === 'originate' && o.rewriteLoginOriginate);
  const login = ((rewrite && remote !== '' ? remote : req.text(ATTR.USER_NAME)) ?? '').trim().toLowerCase();
  const connect = parseH323Time(h323Attr(p, 'h323-connect-time'));
  const disconnect = parseH323Time(h323Attr(p, 'h323-disconnect-time'));
  const sessionTime = req.int(ATTR.ACCT_SESSION_TIME);
  const now = req.int(ATTR.EVENT_TIMESTAMP) ?? arrival;
  const end = disconnect ?? now;
  const duration =
    sessionTime ?? (connect !== undefined && disconnect !== undefined ? Math.max(0, disconnect - connect) : -1);
  const cause = h323Attr(p, 'h323-disconnect-cause') ?? String(req.int(ATTR.ACCT_TERMINATE_CAUSE) ?? '');
  return {
    op,
    uid: `${confId}/${origin}`.slice(0, 180),
    nas,
    login: login.slice(0, 255),
    ...callFields(req, o),
    cause: cause.slice(0, 64),
    time: op === 'start' ? (connect ?? now) : end,
    duration: op === 'start' ? 0 : duration,
    ...(op === 'stop' && connect !== undefined ? { started: connect } : {}),
    ...(o.originReject !== undefined && origin === o.originReject.toLowerCase() ? { zeroCost: true } : {}),
  };
}
