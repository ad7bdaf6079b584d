import type { Knex } from '@utm5/db';
import type { AccountWire, LimitWire } from '@utm5/protocol';

/** An open call (tel_sessions) as the limits count it. */
interface OpenCall {
  readonly slinkId: number;
  readonly accountId: number;
  readonly userId: number;
  readonly dealerId: number;
}

/** Where a new call of a link would count. */
export interface CallScope {
  readonly slinkId: number;
  readonly serviceId: number;
  readonly account: Pick<AccountWire, 'id' | 'userId' | 'dealerId'>;
  /** The telephony service's max_sessions: simultaneous calls per link (0 unlimited). */
  readonly linkMax: number;
  /** The service's links (the service level counts all of them). */
  readonly serviceLinks: ReadonlySet<number>;
}

/**
 * Simultaneous calls, as dial-up capacity is counted (radiusd's authorize): the link (the service's max_sessions),
 * then the service, account, user and dealer levels of session_limits; every level is checked, so the stricter
 * limit wins. The calls counted are the open tel_sessions started within tel_session_timeout (a call whose Stop
 * never came stops counting then). Returns the refusal, or undefined when one more call fits.
 */
export async function callLimitRefusal(
  k: Knex | Knex.Transaction,
  scope: CallScope,
  limits: readonly LimitWire[],
  since: number,
): Promise<string | undefined> {
  const limit = (level: LimitWire['level'], ref: number) =>
    ref > 0 ? (limits.find((l) => l.level === level && l.refId === ref)?.max ?? 0) : 0;
  const a = scope.account;
  const max = {
    link: scope.linkMax,
    service: limit('service', scope.serviceId),
    account: limit('account', a.id),
    user: limit('user', a.userId),
    dealer: limit('dealer', a.dealerId),
  };
  if (Object.values(max).every((m) => m <= 0)) return undefined;
  const q = k('tel_sessions')
    .join('accounts', 'accounts.id', 'tel_sessions.account_id')
    .join('users', 'users.id', 'accounts.user_id')
    .where('tel_sessions.stopped_at', 0)
    .andWhere('tel_sessions.started_at', '>=', since)
    .select('tel_sessions.slink_id', 'tel_sessions.account_id', 'accounts.user_id', 'users.dealer_id');
  // Only the calls some level in force can count.
  q.andWhere((w) => {
    w.where('tel_sessions.slink_id', scope.slinkId).orWhere('accounts.user_id', a.userId);
    if (max.service > 0) w.orWhereIn('tel_sessions.slink_id', [...scope.serviceLinks]);
    if (max.dealer > 0) w.orWhere('users.dealer_id', a.dealerId);
  });
  const rows: Record<string, unknown>[] = await q;
  const open: OpenCall[] = rows.map((r) => ({
    slinkId: Number(r['slink_id']),
    accountId: Number(r['account_id']),
    userId: Number(r['user_id']),
    dealerId: Number(r['dealer_id'] ?? 0),
  }));
  const used = {
    link: open.filter((c) => c.slinkId === scope.slinkId).length,
    service: open.filter((c) => scope.serviceLinks.has(c.slinkId)).length,
    account: open.filter((c) => c.accountId === a.id).length,
    user: open.filter((c) => c.userId === a.userId).length,
    dealer: open.filter((c) => a.dealerId > 0 && c.dealerId === a.dealerId).length,
  };
  for (const level of ['link', 'service', 'account', 'user', 'dealer'] as const)
    if (max[level] > 0 && used[level] >= max[level])
      return `simultaneous calls: ${used[level]} of ${max[level]} allowed for the ${level} in use`;
  return undefined;
}
