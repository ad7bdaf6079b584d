/**
 * What the core publishes to utm5_radius over Stream, and the session records it sends back. Declared once here,
 * where both sides import it (the core and the daemon).
 */

/** A RADIUS attribute added to an Access-Accept: by the NAS, the service, then the link (later ones win). */
export interface RadiusAttrWire {
  readonly vendor: number;
  readonly attr: number;
  readonly tag: number;
  readonly value: string;
  /** 0 add, 1 replace earlier ones of the same attribute, 2 remove them. */
  readonly action: 0 | 1 | 2;
}

/** Topic 'radius_nas'. */
export interface NasWire {
  readonly id: number;
  readonly name: string;
  readonly ip: string;
  readonly secret: string;
  readonly daePort: number;
  readonly daeSecret: string;
  readonly coa: boolean;
  readonly attrs: readonly RadiusAttrWire[];
}

/** Topic 'radius_logins': every login a user may authenticate with, and what the link allows. */
export interface LoginWire {
  /** Lower-cased, as the manual compares logins. */
  readonly login: string;
  readonly kind: 'iptraffic' | 'dialup' | 'hotspot';
  readonly slinkId: number;
  readonly accountId: number;
  readonly serviceId: number;
  readonly password: string;
  readonly allowedCid: string;
  readonly allowedCsid: string;
  readonly callbackAllowed: boolean;
  readonly ringdownAllowed: boolean;
  readonly callbackNumber: string;
  /** IP traffic: the IP group's address and mask. */
  readonly ip: string;
  readonly mask: number;
  readonly poolName: string;
  /** Simultaneous sessions per link allowed by the service (0 = unlimited). */
  readonly maxSessions: number;
  /** Dial-up/hotspot: the service's cap on Session-Timeout in seconds (0 or absent: none). */
  readonly maxTimeout?: number;
  /** Hotspot: networks the user may log in from (Framed-IP-Address of the request); absent or empty: anywhere. */
  readonly allowedNets?: readonly { readonly ip: string; readonly mask: number }[];
  readonly attrs: readonly RadiusAttrWire[];
}

/** Topic 'radius_accounts': what authorization needs of each account. */
export interface AccountWire {
  readonly id: number;
  readonly userId: number;
  readonly dealerId: number;
  /** 0 = not blocked; else UTM5's block type. */
  readonly blockType: number;
  readonly intStatus: boolean;
  readonly unlimited: boolean;
  /** Micro-units. */
  readonly balance: number;
  readonly credit: number;
}

/** Topic 'radius_limits': capacity limits (simultaneous sessions) per dealer, user, account and service. */
export interface LimitWire {
  readonly level: 'dealer' | 'user' | 'account' | 'service';
  readonly refId: number;
  readonly max: number;
}

/** Topic 'radius_prices': price per hour by time range of dial-up and hotspot services. */
export interface PriceWire {
  readonly serviceId: number;
  readonly tz: string;
  readonly ranges: readonly {
    readonly priority: number;
    readonly pricePerHour: number;
    readonly entries: readonly {
      wdayStart: number;
      hourStart: number;
      minStart: number;
      secStart: number;
      wdayStop: number;
      hourStop: number;
      minStop: number;
      secStop: number;
    }[];
    readonly days: readonly { mday: number; month: number }[];
  }[];
}

/** Topic 'radius_ippools': IP pools by id; pools sharing a name are used in id order (or shuffled). */
export interface PoolWire {
  readonly id: number;
  readonly name: string;
  /** IPv4 network address; the pool is address/mask without its network and broadcast addresses. */
  readonly address: string;
  readonly mask: number;
}

/** Record kind 'radius_session': a session event from Accounting-Requests. */
export interface SessionEventWire {
  readonly op: 'start' | 'interim' | 'stop';
  readonly nas: string;
  readonly sid: string;
  readonly login: string;
  readonly slinkId: number;
  readonly accountId: number;
  readonly serviceType: number;
  readonly framedIp: string;
  readonly calling: string;
  readonly called: string;
  /** When the event happened (unix s): Event-Timestamp, else arrival. */
  readonly time: number;
  /** Acct-Session-Time, seconds. */
  readonly duration: number;
  readonly inOctets: number;
  readonly outOctets: number;
  readonly cause: string;
  /** NAS-Port, NAS-Port-Type, NAS-Identifier and Acct-Input/Output-Packets, for the sessions report (absent: 0 / ''). */
  readonly nasPort?: number;
  readonly nasPortType?: number;
  readonly nasId?: string;
  readonly inPackets?: number;
  readonly outPackets?: number;
  /** The address came from the guest or blocked pool (guest_pool_name, blocked_pool_name): the time is not charged. */
  readonly pool?: 'guest' | 'blocked';
  /**
   * The counters are to be billed as IP traffic (radius_do_accounting / radius_do_interim_accounting decided it in
   * utm5_radius, so the core needs no radius5.cfg). Absent in events from older senders: not billed.
   */
  readonly billTraffic?: boolean;
}

export const RADIUS_TOPIC = {
  NAS: 'radius_nas',
  LOGINS: 'radius_logins',
  ACCOUNTS: 'radius_accounts',
  LIMITS: 'radius_limits',
  PRICES: 'radius_prices',
  POOLS: 'radius_ippools',
} as const;
export const RADIUS_SESSION_KIND = 'radius_session';
