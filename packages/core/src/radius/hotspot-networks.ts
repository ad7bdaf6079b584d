import type { Knex } from '@utm5/db';
import { parsePrefix } from '@utm5/netflow';
import { BillingError } from '../billing/billing-error';

export interface AllowedNet {
  readonly ip: string;
  readonly mask: number;
}

/**
 * A mask as UTM5's hotspot functions send it: a prefix length 0..32, or a dotted netmask as a 32-bit integer
 * (255.255.255.0 = 4294967040, or -256 signed). Returns the prefix length, or undefined when it is neither.
 */
export function maskBits(value: number): number | undefined {
  if (Number.isInteger(value) && value >= 0 && value <= 32) return value;
  const u = value >>> 0;
  const bits = 32 - Math.log2(2 ** 32 - u);
  return Number.isInteger(bits) && bits >= 0 && bits <= 32 ? bits : undefined;
}

/**
 * The networks hotspot users of a service may log in from (the manual's "Allowed networks"; empty: from anywhere).
 * Replaced whole, in the caller's transaction; host bits are cleared.
 */
export async function setHotspotNetworks(
  trx: Knex.Transaction,
  serviceId: number,
  nets: readonly AllowedNet[],
): Promise<void> {
  const rows = nets.map((n, i) => {
    const p = Number.isInteger(n.mask) && n.mask >= 0 && n.mask <= 32 ? parsePrefix(`${n.ip}/${n.mask}`) : undefined;
    if (!p || p.bytes.length !== 4)
      throw new BillingError(
        'UTM_BAD_INPUT',
        `hotspot service ${serviceId}, allowed network ${i + 1}: '${n.ip}/${n.mask}' is not an IPv4 network`,
      );
    return { service_id: serviceId, ip: [...p.bytes].join('.'), mask: p.bits };
  });
  await trx('hotspot_networks').where({ service_id: serviceId }).delete();
  const unique = [...new Map(rows.map((r) => [`${r.ip}/${r.mask}`, r])).values()];
  if (unique.length > 0) await trx('hotspot_networks').insert(unique);
}

export async function hotspotNetworks(k: Knex, serviceId?: number): Promise<(AllowedNet & { serviceId: number })[]> {
  const q = k('hotspot_networks').orderBy(['service_id', 'ip', 'mask']);
  if (serviceId !== undefined) q.where({ service_id: serviceId });
  const rows: Record<string, unknown>[] = await q;
  return rows.map((r) => ({ serviceId: Number(r['service_id']), ip: String(r['ip']), mask: Number(r['mask']) }));
}
