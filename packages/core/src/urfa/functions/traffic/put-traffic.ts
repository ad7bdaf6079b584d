import { L, type CallArgs, type TrafficItem } from '@utm5/protocol';
import { defineFunction, type HandlerContext } from '../../core-function';
import { intToIpv4, traffic } from './common';

/** One entry of rpcf_put_unif_iptr, as sent. */
interface Entry {
  readonly n: number;
  readonly login: string;
  readonly ipid: number;
  readonly tclass: number;
  readonly bytes: number;
}

interface Owner {
  readonly slinkId: number;
  readonly accountId: number;
  readonly ip: string;
}

/** Problems beyond this many are counted, not listed, so a broken file cannot flood the log. */
const LOGGED_PROBLEMS = 20;

/**
 * The live IP traffic link each login names through one of its IP groups. A login on two live links names neither:
 * the traffic would have two owners (the problem says which links).
 */
async function ownersOf(ctx: HandlerContext, logins: readonly string[]): Promise<Map<string, Owner | string>> {
  const out = new Map<string, Owner | string>();
  for (const g of await traffic(ctx).catalog.ipGroupsByLogin(logins)) {
    const o: Owner = { slinkId: g.slinkId, accountId: g.accountId, ip: g.ip };
    const cur = out.get(g.login);
    if (cur === undefined) out.set(g.login, o);
    else if (typeof cur !== 'string' && cur.slinkId !== o.slinkId)
      out.set(g.login, `login '${g.login}' is on service links ${cur.slinkId} and ${o.slinkId}`);
  }
  return out;
}

function readEntries(a: CallArgs): Entry[] {
  return Array.from({ length: a.int('count') }, (_, i) => ({
    n: i + 1,
    login: a.str('login', i),
    ipid: a.int('ipid', i),
    tclass: a.int('tclass', i),
    bytes: a.int('d_oct', i),
  }));
}

/** The entry's owner, or why it is not charged (naming the field). */
function ownerOf(e: Entry, o: Owner | string | undefined, classes: ReadonlySet<number>): Owner | string {
  if (typeof o === 'string') return o;
  if (!o) return `login '${e.login}' is not an IP group login of an IP traffic service link`;
  if (!classes.has(e.tclass)) return `tclass ${e.tclass} is not a traffic class`;
  if (e.bytes < 0) return `d_oct ${e.bytes} is negative`;
  return o;
}

export const putUnifIptr = defineFunction(
  'rpcf_put_unif_iptr',
  0x5511,
  {
    comment:
      'IP traffic without addresses (utm5_send_traffic): d_oct bytes of class tclass for the IP traffic link whose IP group has ' +
      "this login, priced now; ipid: an IPv4 address (as a 32-bit integer) for the traffic statistics, 0 for the IP group's own. " +
      'No output: entries with an unknown login or class or a negative d_oct are not charged and are written to the core log; ' +
      'the others are charged in one transaction',
    // The reference counts the loop with size(login), which only a client can evaluate; count (defaulted to that
    // size) is the same on the wire.
    input: [
      L.int('count', { default: 'size(login)' }),
      L.for('i', '0', 'count', [
        L.str('login', { index: 'i' }),
        L.int('ipid', { index: 'i' }),
        L.int('tclass', { index: 'i' }),
        L.int('d_oct', { index: 'i' }),
      ]),
    ],
    docs: {
      login: 'login of an IP group of the IP traffic link',
      ipid: "IPv4 address for the statistics (0: the IP group's)",
      d_oct: 'bytes',
    },
  },
  async (call, ctx) => {
    const log = ctx.log.child({ component: 'urfa' });
    const entries = readEntries(call.args);
    const owners = await ownersOf(ctx, [...new Set(entries.map((e) => e.login))]);
    const classes = new Set([0, ...(await traffic(ctx).catalog.tclasses()).map((c) => c.id)]);
    const now = ctx.clock.now();
    const problems: string[] = [];
    const items: TrafficItem[] = [];
    for (const e of entries) {
      const o = ownerOf(e, owners.get(e.login), classes);
      if (typeof o === 'string') problems.push(`entry ${e.n}: ${o}`);
      else
        items.push({
          s: o.slinkId,
          a: o.accountId,
          c: e.tclass,
          ip: e.ipid === 0 ? o.ip : intToIpv4(e.ipid),
          t: now,
          b: e.bytes,
          p: 0,
        });
    }
    const who = `${call.principal.login}@${call.peer}`;
    if (problems.length > 0) {
      const more = problems.length > LOGGED_PROBLEMS ? `; and ${problems.length - LOGGED_PROBLEMS} more` : '';
      log.warn(
        `${who}: put_unif_iptr: ${problems.length} of ${entries.length} entries not charged: ${problems.slice(0, LOGGED_PROBLEMS).join('; ')}${more}`,
      );
    }
    if (items.length === 0) return {};
    const r = await traffic(ctx).billing.ingestLocked(items, 0, now);
    log.info(
      `${who}: put_unif_iptr: ${r.accepted} entries charged${r.dropped > 0 ? `, ${r.dropped} dropped (the traffic log says why)` : ''}`,
    );
    return {};
  },
);
