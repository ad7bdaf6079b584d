/**
 * Dynashape settings of an IP traffic service, as rpcf_add_shaping carries them and the shaping decision reads them.
 */

/** Which IP groups of a link the shaping applies to (rpcf_*_shaping's flags; UTM5-TS's reading of the bits). */
export const SHAPING_FLAG = {
  /** IP groups used with RADIUS (ip_not_vpn clear): their sessions get the shaping attributes and CoA. */
  VPN: 1,
  /** IP groups outside RADIUS (ip_not_vpn set): shaped by the firewall agent only. */
  NON_VPN: 2,
} as const;

/** A limit's account state (in_/out_acc_states_array): which accounts it applies to. */
export const ACC_STATE = { ANY: 0, ACTIVE: 1, BLOCKED: 2 } as const;
export type AccState = (typeof ACC_STATE)[keyof typeof ACC_STATE];

export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface ShapingLimit {
  readonly accState: AccState;
  /** Bytes of the counted classes consumed by the link in its accounting period from which the limit applies. */
  readonly border: number;
  /** 0: at any time. */
  readonly timeRangeId: number;
  /** Kbit/s (the manual's W), at least 1. */
  readonly kbit: number;
}

export interface DirectionShaping {
  /** Traffic classes whose bytes count towards the borders; none: only limits with border 0 can apply. */
  readonly tclasses: readonly number[];
  readonly limits: readonly ShapingLimit[];
}

/** A shaping RADIUS attribute; value may hold the manual's variables (IN_BANDWIDTH_KBITS ...). */
export interface ShapingAttr {
  readonly vendor: number;
  readonly attr: number;
  /** How the value is sent once the variables are in: 0 integer, 1 string, 2 IPv4 address (as rpcf_set_radius_attr's param1). */
  readonly type: 0 | 1 | 2;
  readonly value: string;
}

/** A turbo mode setting: stored and read back for UTM5 clients, not acted on. */
export interface TurboSetting {
  readonly serviceId: number;
  readonly inRate: number;
  readonly outRate: number;
  readonly inLimit: number;
  readonly outLimit: number;
  readonly name: number;
  readonly duration: number;
  readonly acctPeriodFlag: number;
}

export interface ShapingSettings {
  readonly flags: number;
  readonly in: DirectionShaping;
  readonly out: DirectionShaping;
  readonly attrs: readonly ShapingAttr[];
  readonly turbo: readonly TurboSetting[];
}
