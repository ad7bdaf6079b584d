/**
 * What the core publishes to utm5_dhcp over Stream (snapshot on connect, then change events, as for utm5_radius),
 * and the lease records the daemon sends back (acknowledged after commit, disk-buffered while the core is away).
 * Declared once here, where both sides import it. Addresses travel as dotted strings on the wire; the daemon turns
 * them into integers once, when it builds its tables.
 */

/** How one option-82 parameter (Remote ID, Port or VLAN ID) is read, per switch type (the manual's profile tabs). */
export interface Opt82FieldWire {
  readonly enabled: boolean;
  /** 0 string, 1 binary big endian, 2 binary little endian. */
  readonly type: 0 | 1 | 2;
  /** The suboption the offset starts at (its code byte is offset 0); 0 = the start of the whole option 82. */
  readonly disposition: number;
  readonly offset: number;
  readonly length: number;
}

/** Topic 'dhcp_switch_types'. */
export interface SwitchTypeWire {
  readonly id: number;
  readonly name: string;
  /** Port counts this type comes in (the manual's "supported volumes"). */
  readonly ports: readonly number[];
  readonly portsFromZero: boolean;
  readonly remoteId: Opt82FieldWire;
  readonly port: Opt82FieldWire;
  readonly vlan: Opt82FieldWire;
}

/** An extra DHCP option of a switch or pool: code and its value (type 0 string, 1 IPv4 list, 2 integer, 3 hex). */
export interface DhcpOptionWire {
  readonly code: number;
  readonly type: number;
  readonly value: string;
}

/** Topic 'dhcp_switches'. remoteId as the switch type reads it (string, or hex of the bytes when binary). */
export interface SwitchWire {
  readonly id: number;
  readonly name: string;
  readonly typeId: number;
  readonly remoteId: string;
  readonly portsCount: number;
  readonly options: readonly DhcpOptionWire[];
}

/** Block action of a pool (the manual): 0 not defined, 1 use the blocked pool `blockedPoolId`, 2 ignore the request. */
export const DhcpBlockAction = { NOT_DEFINED: 0, USE_BLOCKED: 1, IGNORE: 2 } as const;
export type DhcpBlockAction = (typeof DhcpBlockAction)[keyof typeof DhcpBlockAction];

/** Topic 'dhcp_pools'. gateway + mask identify the pool an address belongs to. */
export interface DhcpPoolWire {
  readonly id: number;
  readonly name: string;
  readonly gateway: string;
  readonly mask: string;
  readonly dns1: string;
  readonly dns2: string;
  readonly ntp: string;
  readonly domain: string;
  readonly leaseTime: number;
  readonly blockAction: DhcpBlockAction;
  readonly blockedPoolId: number;
  /** Dynamic ranges, first..last inclusive. */
  readonly ranges: readonly { readonly first: string; readonly last: string }[];
  readonly options: readonly DhcpOptionWire[];
}

/**
 * Topic 'dhcp_bindings': one item per IP group of an IP traffic link that DHCP can answer for: the parameters it is
 * matched by (unset = '' or 0; only the manual's seven sets are published) and what it gives: a static address, or
 * a dynamic pool. `blocked` is the account's state now (any block type), re-published when it changes.
 */
export interface DhcpBindingWire {
  /** The IP group's id (the item key). */
  readonly id: number;
  readonly accountId: number;
  readonly slinkId: number;
  /** Lower-case aa:bb:cc:dd:ee:ff, or ''. */
  readonly mac: string;
  readonly switchId: number;
  /** -1 = not set (port 0 exists on switches whose ports start with 0). */
  readonly port: number;
  readonly vlan: number;
  /** A static address, or '' when the group takes an address from `poolId`. */
  readonly ip: string;
  readonly poolId: number;
  readonly blocked: boolean;
}

export const DHCP_TOPIC = {
  SWITCH_TYPES: 'dhcp_switch_types',
  SWITCHES: 'dhcp_switches',
  POOLS: 'dhcp_pools',
  BINDINGS: 'dhcp_bindings',
} as const;

/** Lease flags as the manual's lease page shows them. */
export const DhcpLeaseFlag = { STATIC: 1, DYNAMIC: 2, MODIFIED: 4 } as const;

/** Record kind 'dhcp_lease': what happened to a lease, in the order the daemon decided it. */
export interface DhcpLeaseRecord {
  readonly event: 'new' | 'update' | 'expire' | 'release' | 'decline';
  readonly ip: string;
  readonly mac: string;
  /** The binding (IP group) it was matched to, 0 when none (a pool matched by switch only still names its group). */
  readonly bindingId: number;
  readonly poolId: number;
  readonly switchId: number;
  readonly port: number;
  readonly vlan: number;
  /** Option 12 HostName. */
  readonly clientId: string;
  /** The server's identifier (option 54) it answered with. */
  readonly serverId: string;
  readonly start: number;
  readonly expires: number;
  readonly flags: number;
}

export const DHCP_LEASE_KIND = 'dhcp_lease';
