import { affordableSeconds, inSubnet } from '@utm5/common';
import type { AccountWire, LoginWire, NasWire, RadiusAttrWire } from '@utm5/protocol';
import type { RadiusState } from './state';
import type { SessionTable } from './sessions';
import { formatIpv4 as numberToIpv4 } from '@utm5/inet';
import { hostRange, type AddressBook, type PoolSet } from './ip-pools';
import { shapingReplyAttrs } from '../shaping/shaping-attrs';
import { ATTR, replyAttr, type ReplyAttr } from './attributes';

/** The values the replies use, by their dictionary names (the encoder turns them into numbers). */
const FRAMED_USER = 'Framed-User';
const NO_ROUTING = 'None';
const PPP = 'PPP';

export interface AuthzRequest {
  /** The part of User-Name before ':' (the manual's Callback_prefix), or undefined. */
  readonly callbackPrefix: string | undefined;
  readonly callingStation: string;
  readonly calledStation: string;
  readonly nasPortType: number | undefined;
  /** Framed-IP-Address of the request: a hotspot NAS sends the client's address. */
  readonly framedIp?: string | undefined;
}

export interface AuthzOptions {
  readonly vap: boolean;
  readonly nasPorts: {
    readonly iptraffic: readonly number[];
    readonly dialup: readonly number[];
    readonly hotspot: readonly number[];
  };
  readonly defaultSessionTimeout: number;
  readonly interimInterval: number | undefined;
  readonly callbackAvpair: boolean;
  readonly ippoolAcctTimeout: number;
  /** blocked_pool_name: blocked dial-up/hotspot users get an address from it instead of a reject. */
  readonly blockedPool: string | undefined;
}

/** The manual's reply for an address we give: Service-Type, a host netmask, no routing, PPP, the address, the time. */
function framed(ip: string, sessionTimeout: number): ReplyAttr[] {
  return [
    replyAttr(ATTR.SERVICE_TYPE, FRAMED_USER),
    replyAttr(ATTR.FRAMED_IP_NETMASK, '255.255.255.255'),
    replyAttr(ATTR.FRAMED_ROUTING, NO_ROUTING),
    replyAttr(ATTR.FRAMED_PROTOCOL, PPP),
    replyAttr(ATTR.FRAMED_IP_ADDRESS, ip),
    replyAttr(ATTR.SESSION_TIMEOUT, sessionTimeout),
  ];
}

/** A guest (a login we do not know) when guest_pool_name is set: an address of the guest pool, nothing else. */
export function authorizeGuest(pools: PoolSet, guestPool: string, o: AuthzOptions, now: number): AuthzResult {
  const ip = pools.take(guestPool, now, now + o.ippoolAcctTimeout);
  if (!ip)
    return {
      ok: false,
      kind: 'no_address',
      reason: `unknown login and no free address in the guest pool '${guestPool}'`,
    };
  const attrs = framed(ip, o.defaultSessionTimeout);
  if (o.interimInterval) attrs.push(replyAttr(ATTR.ACCT_INTERIM_INTERVAL, o.interimInterval));
  return { ok: true, attrs };
}

/**
 * Why an Access-Request was rejected, as a bounded set for the utm5_radius_rejects_total{reason} metric (the log line
 * keeps the detail).
 */
export const REJECT_KINDS = [
  'unknown_login',
  'authentication',
  'unknown_account',
  'nas_port_type',
  'station',
  'capacity',
  'blocked',
  'balance',
  'callback',
  'no_address',
  'card',
  'telephony',
] as const;
export type RejectKind = (typeof REJECT_KINDS)[number];

export type AuthzResult =
  | { readonly ok: true; readonly attrs: ReplyAttr[] }
  | { readonly ok: false; readonly kind: RejectKind; readonly reason: string };

/** The first free address of an IP group (the manual: "the first free IP address in the given IP group"). */
function firstFree(ip: string, mask: number, book: AddressBook, now: number): string | undefined {
  const r = hostRange(ip, mask);
  if (!r) return book.isFree(ip, now) ? ip : undefined;
  // A big network is scanned only so far.
  for (let i = 0; i < Math.min(r.count, 4096); i++) {
    const a = numberToIpv4(r.first + i);
    if (book.isFree(a, now)) return a;
  }
  return undefined;
}

function inAnyNet(ip: string | undefined, nets: readonly { ip: string; mask: number }[]): boolean {
  return ip !== undefined && nets.some((n) => inSubnet(ip, n.ip, n.mask));
}

function matches(re: string, value: string): boolean {
  if (!re) return true;
  try {
    return new RegExp(re).test(value);
  } catch {
    return false; // a bad expression allows nothing rather than everything
  }
}

/** Attributes of NAS, then service and link, applied in order: add, replace earlier ones, or remove them. */
export function mergeAttrs(base: ReplyAttr[], ...lists: (readonly RadiusAttrWire[])[]): ReplyAttr[] {
  let out = [...base];
  for (const list of lists) {
    for (const a of list) {
      const same = (x: ReplyAttr) => x.vendor === a.vendor && x.attr === a.attr;
      if (a.action === 2) out = out.filter((x) => !same(x));
      else if (a.action === 1)
        out = [...out.filter((x) => !same(x)), { vendor: a.vendor, attr: a.attr, tag: a.tag, value: a.value }];
      else out.push({ vendor: a.vendor, attr: a.attr, tag: a.tag, value: a.value });
    }
  }
  return out;
}

/**
 * The manual's authorization of an authenticated login, by link kind: blocking, allowed CID/CSID, NAS-Port-Type,
 * callback/ringdown, simultaneous sessions at every capacity level (link, service, account, user, dealer — the
 * strictest wins), the session time the balance pays for, and a free address; then the reply attributes, and the
 * link's shaping attributes when a bandwidth limit is in force.
 */
export function authorize(
  l: LoginWire,
  nas: NasWire,
  req: AuthzRequest,
  state: RadiusState,
  sessions: SessionTable,
  pools: PoolSet,
  o: AuthzOptions,
  now: number,
): AuthzResult {
  const acc: AccountWire | undefined = state.accounts.get(l.accountId);
  if (!acc)
    return { ok: false, kind: 'unknown_account', reason: `account ${l.accountId} of login '${l.login}' is unknown` };
  const blocked = acc.blockType !== 0 || !acc.intStatus;
  const ports = o.nasPorts[l.kind];
  if (ports.length > 0 && (req.nasPortType === undefined || !ports.includes(req.nasPortType))) {
    return {
      ok: false,
      kind: 'nas_port_type',
      reason: `NAS-Port-Type ${req.nasPortType ?? 'absent'} is not among radius_nas_port_${l.kind === 'iptraffic' ? 'vpn' : l.kind}`,
    };
  }
  if (!matches(l.allowedCid, req.callingStation))
    return {
      ok: false,
      kind: 'station',
      reason: `Calling-Station-Id '${req.callingStation}' does not match the allowed CID`,
    };
  // Capacity: each level's limit, the link's from its service.
  const levels: [string, number, number][] = [
    ['link', sessions.count('slink', l.slinkId), l.maxSessions],
    ['service', sessions.count('service', l.serviceId), state.limit('service', l.serviceId)],
    ['account', sessions.count('account', acc.id), state.limit('account', acc.id)],
    ['user', sessions.count('user', acc.userId), state.limit('user', acc.userId)],
    ['dealer', sessions.count('dealer', acc.dealerId), acc.dealerId > 0 ? state.limit('dealer', acc.dealerId) : 0],
  ];
  for (const [level, used, max] of levels) {
    if (max > 0 && used >= max)
      return {
        ok: false,
        kind: 'capacity',
        reason: `simultaneous sessions: ${used} of ${max} allowed for the ${level} in use`,
      };
  }
  const attrs: ReplyAttr[] = [];
  if (l.kind === 'iptraffic') {
    if (o.vap && blocked)
      return { ok: false, kind: 'blocked', reason: `account ${acc.id} is blocked (radius_auth_vap)` };
    const ip = firstFree(l.ip, l.mask, pools.book, now);
    if (!ip) return { ok: false, kind: 'no_address', reason: `no free address in IP group ${l.ip}/${l.mask}` };
    pools.book.hold(ip, now + o.ippoolAcctTimeout);
    attrs.push(...framed(ip, o.defaultSessionTimeout));
  } else {
    if (req.callbackPrefix !== undefined && !l.callbackAllowed)
      return { ok: false, kind: 'callback', reason: 'callback is not allowed for this link' };
    if (req.callbackPrefix === undefined && !l.ringdownAllowed)
      return { ok: false, kind: 'callback', reason: 'ringdown (a call without callback) is not allowed for this link' };
    if (!matches(l.allowedCsid, req.calledStation))
      return {
        ok: false,
        kind: 'station',
        reason: `Called-Station-Id '${req.calledStation}' does not match the allowed CSID`,
      };
    if (l.allowedNets && l.allowedNets.length > 0 && !inAnyNet(req.framedIp, l.allowedNets)) {
      return {
        ok: false,
        kind: 'station',
        reason: `hotspot client address ${req.framedIp ?? '(no Framed-IP-Address)'} is not in the service's allowed networks`,
      };
    }
    if (blocked && !o.blockedPool) return { ok: false, kind: 'blocked', reason: `account ${acc.id} is blocked` };
    if (blocked) {
      // Limited access for the blocked (e.g. to the payment page): an address of the blocked pool, not charged.
      const ip = pools.take(o.blockedPool!, now, now + o.ippoolAcctTimeout);
      if (!ip)
        return {
          ok: false,
          kind: 'no_address',
          reason: `account ${acc.id} is blocked and the blocked pool '${o.blockedPool}' has no free address`,
        };
      attrs.push(...framed(ip, o.defaultSessionTimeout));
    } else {
      const p = state.prices.get(l.serviceId);
      const money = acc.balance + acc.credit;
      const cap = l.maxTimeout ? Math.min(l.maxTimeout, o.defaultSessionTimeout) : o.defaultSessionTimeout;
      const seconds = acc.unlimited || !p ? cap : affordableSeconds(p.prices, now, money, cap, p.tz);
      if (seconds < 1)
        return {
          ok: false,
          kind: 'balance',
          reason: `the balance of account ${acc.id} does not pay for a second of connection`,
        };
      if (l.poolName && pools.has(l.poolName)) {
        const ip = pools.take(l.poolName, now, now + o.ippoolAcctTimeout);
        if (!ip) return { ok: false, kind: 'no_address', reason: `no free address in IP pool '${l.poolName}'` };
        attrs.push(...framed(ip, seconds));
      } else {
        // A pool the NAS keeps itself: named for it in Cisco's addr-pool.
        attrs.push(
          replyAttr(ATTR.SERVICE_TYPE, FRAMED_USER),
          replyAttr(ATTR.FRAMED_ROUTING, NO_ROUTING),
          replyAttr(ATTR.FRAMED_PROTOCOL, PPP),
        );
        if (l.poolName)
          attrs.push(replyAttr(ATTR.FRAMED_MTU, 1500), replyAttr(ATTR.CISCO_AVPAIR, `addr-pool=${l.poolName}`));
        attrs.push(replyAttr(ATTR.SESSION_TIMEOUT, seconds));
      }
    }
    if (req.callbackPrefix !== undefined) {
      if (o.callbackAvpair) attrs.push(replyAttr(ATTR.CISCO_AVPAIR, `lcp:callback-dialstring=${req.callbackPrefix}`));
      else
        attrs.push(
          replyAttr(ATTR.CALLBACK_NUMBER, l.callbackNumber || req.callbackPrefix),
          replyAttr(ATTR.CALLBACK_ID, l.login),
        );
    }
  }
  if (o.interimInterval) attrs.push(replyAttr(ATTR.ACCT_INTERIM_INTERVAL, o.interimInterval));
  // Dynashape: a session of a link under a bandwidth limit starts with it (no CoA needed).
  // The bandwidth in force wins over a fixed attribute of the same kind (e.g. a service's static rate limit).
  const shaping = shapingReplyAttrs(state.shaping.get(l.slinkId));
  const merged = mergeAttrs(attrs, nas.attrs, l.attrs).filter(
    (a) => !shaping.some((x) => x.vendor === a.vendor && x.attr === a.attr),
  );
  return { ok: true, attrs: [...merged, ...shaping] };
}
