import type { Knex } from '@utm5/db';
import type { LinkOp } from '../events/billing-events';
import type { EventSink } from '../events/event-sink';
import type { Charger } from './charger';

/**
 * Raises the 'link' event of a service link in the transaction that adds, changes or removes it; the service type
 * (once, periodic, IP traffic, hotspot, dial-up, telephony) is the link's service's. Called after the link's own
 * data is written on add and edit, and before anything of it goes on delete.
 */
export async function raiseLinkEvent(
  trx: Knex.Transaction,
  events: EventSink,
  charger: Pick<Charger, 'service'>,
  op: LinkOp,
  link: { readonly id: number; readonly accountId: number; readonly serviceId: number },
  now: number,
): Promise<void> {
  const svc = await charger.service(trx, link.serviceId);
  await events.emit(trx, { kind: 'link', op, serviceType: svc.type, accountId: link.accountId, slinkId: link.id }, now);
}
