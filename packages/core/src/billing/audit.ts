import { UserLogRepo, type Knex } from '@utm5/db';
import type { EventSink } from '../events/event-sink';

/**
 * The user change log (user_log): who changed what about a user, with UTM5's numeric action and a text. Written in
 * the same transaction as the change it describes, which also carries its 'user_log' billing event.
 */
export const UserAction = {
  COMMENT: 0,
  USER_ADDED: 1,
  USER_CHANGED: 2,
  USER_REMOVED: 3,
  ACCOUNT_ADDED: 4,
  ACCOUNT_CHANGED: 5,
  ACCOUNT_REMOVED: 6,
  PAYMENT: 7,
  PAYMENT_ROLLBACK: 8,
  BLOCKED: 9,
  UNBLOCKED: 10,
  INTERNET: 11,
  GROUPS: 12,
  CARD: 13,
  PROMISED_PAYMENT: 14,
  TRANSFER: 15,
  SUSPENSION: 16,
  SETTINGS: 17,
  EXPIRY: 18,
} as const;

export interface Actor {
  readonly id: number;
  readonly login: string;
  readonly ip?: string;
}

export const SYSTEM_ACTOR: Actor = { id: 0, login: 'utm5_core' };

export async function audit(
  trx: Knex.Transaction,
  actor: Actor,
  code: number,
  what: string,
  details: string,
  ids: { userId?: number | null; accountId?: number | null },
  now: number,
  events: EventSink,
): Promise<void> {
  await trx('user_log').insert({
    ts: now,
    actor_id: actor.id,
    actor_login: actor.login,
    actor_ip: actor.ip ?? '',
    action: what,
    action_code: code,
    user_id: ids.userId ?? null,
    account_id: ids.accountId ?? null,
    details,
  });
  await events.emit(
    trx,
    { kind: 'user_log', userId: ids.userId ?? 0, action: what, comments: details, who: actor.login },
    now,
  );
}

export { UserLogRepo };
