/** A rule's applicability domain (the manual's "Applicability domain"). */
export interface RuleScope {
  /** 1: all users; 2: the user, group and tariff conditions combined with AND (else OR). */
  readonly flags: number;
  readonly userId: number;
  readonly groupId: number;
  readonly tariffId: number;
}

export const RULE_FLAG = { ALL_USERS: 1, AND: 2 } as const;

/** Who an event is about: a user with their groups and the current tariffs of their accounts' tariff links. */
export interface ScopeFacts {
  readonly userId: number;
  readonly groupIds: ReadonlySet<number>;
  readonly tariffIds: ReadonlySet<number>;
}

/**
 * Whether a rule applies: all users (the flag, or no condition set); else the conditions set (user id, group
 * membership, a tariff link whose current tariff is it) combined with OR, or AND with flag 2. An event about no user
 * (a file closed) is matched only by rules for all users.
 */
export function ruleApplies(rule: RuleScope, facts: ScopeFacts | undefined): boolean {
  const conds: ((f: ScopeFacts) => boolean)[] = [];
  if (rule.userId > 0) conds.push((f) => f.userId === rule.userId);
  if (rule.groupId > 0) conds.push((f) => f.groupIds.has(rule.groupId));
  if (rule.tariffId > 0) conds.push((f) => f.tariffIds.has(rule.tariffId));
  if ((rule.flags & RULE_FLAG.ALL_USERS) !== 0 || conds.length === 0) return true;
  if (!facts) return false;
  return (rule.flags & RULE_FLAG.AND) !== 0 ? conds.every((c) => c(facts)) : conds.some((c) => c(facts));
}
