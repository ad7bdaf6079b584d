import type { TimeRange } from '@utm5/common';

/**
 * The telephony domain's shared types: what the direction index, the rater, the call pipeline, the catalog and the
 * RADIUS side exchange. Money is in micro-units (Micro); times are unix seconds; durations seconds.
 */

/** Zone types as rpcf_add_tel_zone's zone_type carries them. */
export const ZONE_TYPE = { LOCAL: 0, INNERZONE: 1, INTERCITY: 2, INTERNATIONAL: 3 } as const;
export type ZoneType = (typeof ZONE_TYPE)[keyof typeof ZONE_TYPE];
export const ZONE_TYPE_NAME: Readonly<Record<ZoneType, string>> = {
  0: 'local',
  1: 'innerzone',
  2: 'intercity',
  3: 'international',
};

export interface TelZone {
  readonly id: number;
  readonly name: string;
  readonly type: ZoneType;
}

/** A telephone direction; empty prefixes, trunks and PBX id match anything. */
export interface TelDirection {
  readonly id: number;
  /** 0: in no zone. */
  readonly zoneId: number;
  readonly name: string;
  readonly calledPrefix: string;
  readonly callingPrefix: string;
  /** The prefix is a POSIX 1003.2 extended regular expression (matched from the number's start) instead of a prefix. */
  readonly calledRegexp: boolean;
  readonly callingRegexp: boolean;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  /** Calls whose first matching direction this is are not accounted. */
  readonly skip: boolean;
}

/** What a direction is matched against. */
export interface CallKey {
  readonly called: string;
  readonly calling: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
}

/**
 * The tariff class of a direction in a service's tables: its own (minus its id) when the service prices it, else its
 * zone's (the zone id).
 */
export const directionClass = (dirId: number): number => -dirId;

/** A price in force during a time range: micro-units per unitSize seconds. */
export interface TelRangePrice {
  readonly range: TimeRange;
  readonly price: number;
}

/** From `border` seconds of the class's calls in the period on, prices are multiplied by `mult`. */
export interface TelBorder {
  readonly border: number;
  readonly mult: number;
}

/** One tariff class (zone or direction) of a telephony service. */
export interface TelClassTariff {
  readonly tariffClass: number;
  /** The range of highest priority in force at a moment gives the price; no range in force: not covered. */
  readonly prices: readonly TelRangePrice[];
  /** Ascending by border; before the first border the multiplier is 1. */
  readonly borders: readonly TelBorder[];
  /** Prepaid seconds per accounting period. */
  readonly prepaid: number;
  /** Micro-units charged once per call in addition to its time. */
  readonly fixedCost: number;
}

/** The telephony part of a service: how its calls are rounded and priced. */
export interface TelTariff {
  readonly serviceId: number;
  readonly freeTime: number;
  readonly firstPeriodLength: number;
  readonly firstPeriodStep: number;
  readonly secondPeriodStep: number;
  readonly unitSize: number;
  /** Prepaid seconds count towards the borders ("Discount free time"). */
  readonly discountFreeTime: boolean;
  /** Micro-units per accounting period. */
  readonly minimumCharge: number;
  /** Simultaneous calls per link; 0 unlimited. */
  readonly maxSessions: number;
  readonly classes: ReadonlyMap<number, TelClassTariff>;
  /** Zones callable while the account is blocked. */
  readonly emergencyZones: ReadonlySet<number>;
}

/** What a link has used of a class in the current accounting period. */
export interface TelUsage {
  /** Rounded seconds counted towards the borders. */
  readonly used: number;
  readonly prepaidUsed: number;
}

/** A stretch of a call at one price. */
export interface RatedPart {
  readonly start: number;
  readonly duration: number;
  /** Micro-units per unit (0 when prepaid or not covered). */
  readonly basePrice: number;
  readonly mult: number;
  /** Micro-units, unrounded: duration * basePrice * mult / unitSize. */
  readonly cost: number;
  readonly prepaid: boolean;
}

export interface RatedCall {
  /** Seconds charged: 0 for a call within the free time. */
  readonly rounded: number;
  /** In time order; their durations sum to `rounded`. */
  readonly parts: readonly RatedPart[];
  /** Micro-units, unrounded: the parts plus the fixed cost (0 for a free call). */
  readonly cost: number;
  readonly fixedCost: number;
  /** The usage after this call. */
  readonly usage: TelUsage;
  /** False when some moment of the rounded call had no price in force (charged 0 there, as the manual says). */
  readonly covered: boolean;
}

/** What the rating of one call came to; written in tel_calls.flags. */
export const CALL_FLAG = {
  /** No direction matched: charged at zero price. */
  NO_DIRECTION: 1,
  /** Some of the call had no price in force: that part charged at zero. */
  NOT_COVERED: 2,
  /** The first matching direction has skip set: not accounted. */
  SKIPPED: 4,
  /** Within the free time. */
  FREE: 8,
  /** An emergency zone called while the account was blocked. */
  EMERGENCY: 16,
  /** Found by the called number (an incoming call of the link's number). */
  INCOMING: 32,
  /** The source asked for zero cost (utm5_radius's h323_origin_reject): rounded and counted, charged nothing. */
  ZERO_COST: 64,
} as const;

/** A number of a telephony service link, as its link properties hold it. */
export interface TelNumber {
  readonly id: number;
  readonly slinkId: number;
  readonly login: string;
  /** A number ending in '#' is a tech prefix: called numbers beginning with it are the link's, stripped of it. */
  readonly number: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  readonly allowedCid: string;
}

/** A live telephony service link, as the call pipeline needs it. */
export interface TelLink {
  readonly slinkId: number;
  readonly accountId: number;
  readonly serviceId: number;
  readonly periodId: number;
}

/** A call to rate, from utm5_send_cdr, rpcf_put_tel_call or utm5_radius. */
export interface CallRecord {
  readonly calling: string;
  readonly called: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  /** The source's unique call id; '' when it has none (a content hash is used). */
  readonly sessionId: string;
  readonly pbxId: string;
  /** The link's login (accounting code, or RADIUS User-Name); '' when not known. */
  readonly login: string;
  readonly disconnectCause: string;
  /** Unix seconds; 0: now. */
  readonly start: number;
  readonly duration: number;
  /** Recorded at zero cost (utm5_radius's h323_origin_reject matched the call's h323-call-origin). */
  readonly zeroCost?: boolean;
}

/** What became of one call of a batch. */
export type CallOutcome =
  | { readonly kind: 'imported'; readonly callId: number; readonly cost: number }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'refused'; readonly reason: string };

export type CallSource = 'cdr' | 'radius' | 'urfa';
