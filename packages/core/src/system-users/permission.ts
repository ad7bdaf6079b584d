import { functionClass } from '@utm5/protocol';
import type { FunctionRight, SystemGroupRecord } from '@utm5/db';
import type { Principal } from './principal';

/** A group's verdict on one function: the narrowest of its ranges that contains the id decides. */
function groupVerdict(rights: readonly FunctionRight[], fid: number): boolean | undefined {
  let best: FunctionRight | undefined;
  for (const r of rights) {
    if (fid < r.from || fid > r.to) continue;
    if (!best || r.to - r.from < best.to - best.from) best = r;
  }
  return best?.allowed;
}

/**
 * The permission rule (manual, "User's rights"), the one function the URFA server calls before every call:
 * customers may call negative ids; dealers 0x70000000..0x7fffffff; system users what any of their groups grants
 * (privileges add up across groups), never the customer functions, which act on a logged-in customer.
 */
/** Functions that act only on the calling system user, so every system user may call them whatever its groups. */
const SELF_SERVICE = new Set([0x2124 /* rpcf_change_own_password */]);

export function isPermitted(p: Principal, fid: number, groups: ReadonlyMap<number, SystemGroupRecord>): boolean {
  const cls = functionClass(fid);
  switch (p.kind) {
    case 'customer':
      return cls === 'customer';
    case 'dealer':
      return cls === 'dealer';
    case 'system':
      if (cls === 'customer') return false;
      if (SELF_SERVICE.has(fid)) return true;
      return p.groups.some((g) => {
        const group = groups.get(g);
        return group !== undefined && groupVerdict(group.rights, fid) === true;
      });
  }
}
