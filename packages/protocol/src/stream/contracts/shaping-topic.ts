/**
 * Dynashape over Stream, core -> utm5_radius, declared once for both sides: the bandwidth in force per IP traffic
 * link whose service shapes VPN IP groups. Snapshot on connect (every link with a limit in force); then an event per
 * changed link: 'upsert' (key = slink id) with the new item, 'delete' when the link has no limit any more.
 */

/** A shaping RADIUS attribute as the service has it: the value may hold the manual's variables (IN_BANDWIDTH_KBITS ...). */
export interface ShapingAttrWire {
  readonly vendor: number;
  readonly attr: number;
  /** How the value is sent once the variables are in: 0 integer, 1 string, 2 IPv4 address. */
  readonly type: 0 | 1 | 2;
  readonly value: string;
}

/** Topic 'radius_shaping'. */
export interface ShapingWire {
  readonly slinkId: number;
  /** Kbit/s in force (the manual's W); 0 = no limit in that direction (limits are at least 1 Kbit/s). */
  readonly inKbit: number;
  readonly outKbit: number;
  readonly attrs: readonly ShapingAttrWire[];
}

export const SHAPING_TOPIC = 'radius_shaping';
