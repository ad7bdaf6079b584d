import type { AttributeName, RadiusPacket } from '@utm5/radius';
import { ATTR } from '../server/attributes';

/** The Cisco h323 attributes utm5_radius reads from requests. */
export type H323Name = Extract<
  AttributeName,
  | 'h323-conf-id'
  | 'h323-remote-address'
  | 'h323-call-origin'
  | 'h323-setup-time'
  | 'h323-connect-time'
  | 'h323-disconnect-time'
  | 'h323-disconnect-cause'
>;

/** The value with the "name=" prefix Cisco gateways put in front of it removed, trimmed; '' stays ''. */
function unprefixed(name: string, v: string): string {
  return (v.startsWith(`${name}=`) ? v.slice(name.length + 1) : v).trim();
}

/**
 * An h323 attribute of a request. Cisco sends them as their own vendor attributes (9/24 h323-conf-id, ...), whose
 * values are usually "h323-conf-id=<value>", and older IOS as Cisco-AVPair (9/1) "h323-conf-id=<value>": both are
 * read, the own attribute first. Undefined when the request has neither.
 */
export function h323Attr(p: RadiusPacket, name: H323Name): string | undefined {
  for (const v of p.getAll(name)) if (typeof v === 'string') return unprefixed(name, v);
  for (const v of p.getAll(ATTR.CISCO_AVPAIR))
    if (typeof v === 'string' && v.startsWith(`${name}=`)) return unprefixed(name, v);
  return undefined;
}

/** The manual: a request is telephony when it carries h323-conf-id; otherwise it is dial-up (or IP traffic). */
export function isTelephony(p: RadiusPacket): boolean {
  return (h323Attr(p, 'h323-conf-id') ?? '') !== '';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Zones Cisco IOS prints that JavaScript's date parser does not know, as UTC offsets in minutes. */
const ZONES: Readonly<Record<string, number>> = { UTC: 0, GMT: 0, UT: 0, Z: 0, MSK: 180, MSD: 240, CET: 60, CEST: 120 };
const US_ZONES: Readonly<Record<string, number>> = {
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/**
 * A Cisco h323 time ("*14:26:59.463 UTC Fri Apr 19 2002"; a leading '*' or '.' says the clock was not synchronized,
 * which we accept) as unix seconds; also a plain unix time. Undefined when it cannot be read: the caller falls back
 * to the request's arrival, as the manual says for a missing time.
 */
export function parseH323Time(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^\d{9,11}$/.test(t)) return Number(t);
  const m =
    /^[*.]?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?\s+([A-Za-z]+|[+-]\d{4})\s+[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})$/.exec(
      t,
    );
  if (!m) return undefined;
  const [, hh, mm, ss, zone, mon, dd, yyyy] = m as unknown as string[];
  const month = MONTHS.indexOf(mon!.toLowerCase());
  if (month < 0) return undefined;
  const z = zone!.toUpperCase();
  const offset = /^[+-]\d{4}$/.test(z)
    ? (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3)))
    : (ZONES[z] ?? US_ZONES[z]);
  if (offset === undefined) return undefined;
  const utc = Date.UTC(Number(yyyy), month, Number(dd), Number(hh), Number(mm), Number(ss));
  if (!Number.isFinite(utc) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return undefined;
  return Math.floor(utc / 1000) - offset * 60;
}
