import { formatIpv4, ipv4ToSigned, parseIpv4 } from '@utm5/inet';
import { badInput } from '../../../billing/billing-error';
import type { TrafficModule } from '../../../traffic/traffic-module';
import { GroupType } from '../../../traffic/pricing';
import type { HandlerContext } from '../../core-function';

/** The IP traffic module of a core that runs billing (the URFA functions are only useful with it). */
export function traffic(ctx: HandlerContext): TrafficModule {
  return ctx.traffic;
}

/** A refused input: the message names the field and what it must be; guarded() logs it. */
export { badInput };

/** Checks an integer input against its range; the error names the field and where it came from. */
export function checkRange(where: string, field: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw badInput(`${where}: ${field} ${v} must be ${min}..${max}`);
  return v;
}

/**
 * UTM5's rpcf_add_iptraffic_service carries a traffic group as one integer (gid) per class, without its type. UTM5-TS
 * keeps both in it: bit 0x40000000 set = a group of type max (the class's volume is the largest volume of the group's
 * classes), clear = a group of type sum (the classes' volumes add up). The rest of gid is the group number (>= 1).
 * rpcf_get_iptraffic_service answers tclass_group_id the same way, so what is read can be sent back unchanged.
 */
export const MAX_GROUP_BIT = 0x40000000;

export function groupFromWire(where: string, gid: number): { group: number; type: GroupType } {
  const group = gid & ~MAX_GROUP_BIT;
  if (gid < 0 || group < 1)
    throw badInput(`${where}: gid ${gid} must be a group number >= 1, plus 0x40000000 for a group of type max`);
  return { group, type: (gid & MAX_GROUP_BIT) !== 0 ? GroupType.MAX : GroupType.SUM };
}

export function groupToWire(g: { group: number; type: GroupType }): number {
  return g.type === GroupType.MAX ? g.group | MAX_GROUP_BIT : g.group;
}

/** An IPv4 address as the signed 32-bit integer UTM5 puts in integer fields (rpcf_put_unif_iptr's ipid ...); 0 for none. */
export function ipv4ToInt(ip: string): number {
  return ipv4ToSigned(parseIpv4(ip) ?? 0);
}

export { formatIpv4 as intToIpv4 };
