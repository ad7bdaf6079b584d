import type { Knex } from '@utm5/db';
import { parseAddress } from '@utm5/inet';
import { parsePrefix, prefixContains } from '@utm5/netflow';
import { ServiceType } from '../tariffication/model';
import { ipGroupRow } from './catalog';

/**
 * Dynamic IP address allocation (the manual's control flow): an address a NAS gave a dial-up or hotspot session is
 * bound to the account's IP traffic link, so the traffic of that address is billed there. Runs in the transaction
 * of the session's Accounting-Start:
 *  1. the account's live IP traffic link whose service has "dynamic IP addresses" on; none: nothing to do;
 *  2. any live IP group holding the address is removed (it was another session's, or a static one: the manual warns
 *     against pools overlapping static groups);
 *  3. an IP group address/32 with default properties is added to the link.
 * Returns the link the address was bound to, or undefined.
 */
export async function bindDynamicAddress(
  trx: Knex.Transaction,
  accountId: number,
  ip: string,
): Promise<number | undefined> {
  const addr = parseAddress(ip);
  if (!addr || addr.every((b) => b === 0)) return undefined;
  const link = await trx('service_links')
    .join('services', 'services.id', 'service_links.service_id')
    .join('iptraffic_services', 'iptraffic_services.service_id', 'service_links.service_id')
    .where({
      'service_links.account_id': accountId,
      'service_links.is_deleted': false,
      'services.service_type': ServiceType.IPTRAFFIC,
      'iptraffic_services.is_dynamic': true,
    })
    .orderBy('service_links.id')
    .first('service_links.id as id');
  if (!link) return undefined;
  const slinkId = Number(link.id);
  const mask = addr.length * 8;
  // Exact entries by index; wider groups are few and checked here (an address inside a static network).
  const candidates: { id: number; ip: string; mask: number; slink_id: number }[] = await trx('ip_groups')
    .where({ is_deleted: false })
    .andWhere((q) => q.where({ ip }).orWhere('mask', '<', mask))
    .select('id', 'ip', 'mask', 'slink_id');
  const holding = candidates.filter((g) => {
    const p = parsePrefix(`${g.ip}/${g.mask}`);
    return p !== undefined && prefixContains(p, addr);
  });
  if (holding.length === 1 && holding[0]!.slink_id === slinkId && Number(holding[0]!.mask) === mask) return slinkId; // already bound
  if (holding.length > 0)
    await trx('ip_groups')
      .whereIn(
        'id',
        holding.map((g) => g.id),
      )
      .update({ is_deleted: true });
  await trx('ip_groups').insert(ipGroupRow(slinkId, { ip, mask }));
  return slinkId;
}

/** Whether a dial-up or hotspot service hands its sessions' addresses to an IP traffic link. */
export async function isDynamicTimeService(trx: Knex.Transaction, serviceId: number): Promise<boolean> {
  const r = await trx('dialup_services').where({ service_id: serviceId }).first('is_dynamic');
  return Boolean(r?.is_dynamic);
}
