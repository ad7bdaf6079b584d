import type { Knex } from '@utm5/db';
import type { EventSink } from '../../events/event-sink';

/**
 * Sets an account's Internet status (accounts.int_status), the one way it changes: the 'internet' event is raised
 * in the caller's transaction when the status really changed, and a status set to what it was raises nothing.
 * True when it changed.
 */
export async function setInternetStatus(
  trx: Knex.Transaction,
  events: EventSink,
  accountId: number,
  on: boolean,
  now: number,
): Promise<boolean> {
  const r = await trx('accounts').where({ id: accountId }).first('int_status');
  if (!r || Boolean(Number(r.int_status)) === on) return false;
  await trx('accounts').where({ id: accountId }).update({ int_status: on });
  await events.emit(trx, { kind: 'internet', on, accountId }, now);
  return true;
}
