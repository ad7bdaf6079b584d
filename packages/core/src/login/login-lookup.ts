import { LoginType, type LoginCandidate, type LoginDecision } from '@utm5/protocol';
import type { Principal } from '../system-users/principal';
import type { SystemUserService } from '../system-users/system-user-service';

/**
 * Finds customer or dealer logins (the billing engine registers one per class as it comes to exist); returns the
 * candidate with the clear password, or a refusal reason, or undefined when the login is not of this class.
 */
export type PrincipalResolver = (
  login: string,
  ip: string,
) => LoginCandidate<Principal> | { refused: string } | undefined;

export interface LoginResolvers {
  customer?: PrincipalResolver;
  dealer?: PrincipalResolver;
}

/**
 * Which principals a URFA login may name, in the order to try. Clients disagree on login types (URFA.md), so the
 * type only orders the search: 0 / none a customer first, then a system user, then a dealer (one client documents
 * `admin` as its default yet sends 0); 3 (card) customers only; 1 system users, then customers (the Go client's
 * "user" is 1); 2 system users, dealers, customers. The password picks among the candidates, in this order.
 */
export function urfaLogin(
  users: SystemUserService,
  resolvers: LoginResolvers,
  login: string,
  loginType: number | undefined,
  ip: string,
): LoginDecision<Principal> {
  const order: ('system' | 'dealer' | 'customer')[] =
    loginType === undefined || loginType === LoginType.CUSTOMER
      ? ['customer', 'system', 'dealer']
      : loginType === LoginType.CARD
        ? ['customer']
        : loginType === LoginType.SYSTEM
          ? ['system', 'customer']
          : ['system', 'dealer', 'customer'];
  const candidates: LoginCandidate<Principal>[] = [];
  const reasons: string[] = [];
  for (const kind of order) {
    if (kind === 'system') {
      const r = users.checkLogin(login, ip);
      if (r.ok) candidates.push({ principal: users.principalOf(r.user), password: r.password });
      else if (users.byLogin(login)) reasons.push(r.reason);
      continue;
    }
    const found = resolvers[kind]?.(login, ip);
    if (!found) continue;
    if ('refused' in found) reasons.push(found.refused);
    else candidates.push(found);
  }
  if (candidates.length > 0) return { ok: true, candidates };
  return { ok: false, reason: reasons.join('; ') || `no ${order.join(' or ')} login '${login}'` };
}

/** Stream is for system users only (manual, "System users"). */
export function streamLogin(users: SystemUserService, login: string, ip: string): LoginDecision<Principal> {
  const r = users.checkLogin(login, ip);
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, candidates: [{ principal: users.principalOf(r.user), password: r.password }] };
}
