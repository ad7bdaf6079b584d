import { L, type CallArgs, type TrafficItem } from '@utm5/protocol';
import type { Core } from '../../../core';
import { defineFunction } from '../../core-function';
import { ServiceType } from '../../../tariffication/model';
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
async function ownersOf(core: Core, logins: readonly string[]): Promise<Map<string, Owner | string>> {
  const out = new Map<string, Owner | string>();
  for (let i = 0; i < logins.length; i += 500) {
    const rows: Record<string, unknown>[] = await core.db!.knex('ip_groups as g').join('service_links as l', 'l.id', 'g.slink_id')
      .join('services as s', 's.id', 'l.service_id')
      .whereIn('g.login', logins.slice(i, i + 500)).where({ 'g.is_deleted': false, 'l.is_deleted': false, 's.service_type': ServiceType.IPTRAFFIC })
      .select('g.login', 'g.slink_id', 'l.account_id', 'g.ip');
    for (const r of rows) {
      const login = String(r['login']);
      const o: Owner = { slinkId: Number(r['slink_id']), accountId: Number(r['account_id']), ip: String(r['ip']) };
      const cur = out.get(login);
      if (cur === undefined) out.set(login, o);
      else if (typeof cur !== 'string' && cur.slinkId !== o.slinkId) out.set(login, `login '${login}' is on service links ${cur.slinkId} and ${o.slinkId}`);
    }
  }
  return out;
}

function readEntries(a: CallArgs): Entry[] {
  return Array.from({ length: a.int('count') }, (_, i) => ({
    n: i + 1, login: a.str('login', i), ipid: a.int('ipid', i), tclass: a.int('tclass', i), bytes: a.int('d_oct', i),
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

export const putUnifIptr = defineFunction('rpcf_put_unif_iptr', 0x5511, {
  comment: 'IP traffic without addresses (utm5_send_traffic): d_oct bytes of class tclass for the IP traffic link whose IP group has '
    + 'this login, priced now; ipid: an IPv4 address (as a 32-bit integer) for the traffic statistics, 0 for the IP group\'s own. '
    + 'No output: entries with an unknown login or class or a negative d_oct are not charged and are written to the core log; '
    + 'the others are charged in one transaction',
  // The reference counts the loop with size(login), which only a client can evaluate; count (defaulted to that
  // size) is the same on the wire.
  input: [L.int('count', { default: 'size(login)' }), L.for('i', '0', 'count', [
    L.str('login', { index: 'i' }), L.int('ipid', { index: 'i' }), L.int('tclass', { index: 'i' }), L.int('d_oct', { index: 'i' }),
  ])],
  docs: { login: 'login of an IP group of the IP traffic link', ipid: 'IPv4 address for the statistics (0: the IP group\'s)', d_oct: 'bytes' },
}, async (call, core) => {
  const log = core.log.child({ component: 'urfa' });
  const entries = readEntries(call.args);
  const owners = await ownersOf(core, [...new Set(entries.map((e) => e.login))]);
  const classes = new Set([0, ...(await traffic(core).catalog.tclasses()).map((c) => c.id)]);
  const now = core.clock.now();
  const problems: string[] = [];
  const items: TrafficItem[] = [];
  for (const e of entries) {
    const o = ownerOf(e, owners.get(e.login), classes);
    if (typeof o === 'string') problems.push(`entry ${e.n}: ${o}`);
    else items.push({ s: o.slinkId, a: o.accountId, c: e.tclass, ip: e.ipid === 0 ? o.ip : intToIpv4(e.ipid), t: now, b: e.bytes, p: 0 });
  }
  const who = `${call.principal.login}@${call.peer}`;
  if (problems.length > 0) {
    const more = problems.length > LOGGED_PROBLEMS ? `; and ${problems.length - LOGGED_PROBLEMS} more` : '';
    log.warn(`${who}: put_unif_iptr: ${problems.length} of ${entries.length} entries not charged: ${problems.slice(0, LOGGED_PROBLEMS).join('; ')}${more}`);
  }
  if (items.length === 0) return {};
  // The account locks keep period closing and other charges of these accounts out until the batch is committed.
  const r = await core.billing!.locks.with(items.map((x) => x.a), () => core.db!.tx((trx) => traffic(core).billing.ingest(trx, items, 0, now)));
  log.info(`${who}: put_unif_iptr: ${r.accepted} entries charged${r.dropped > 0 ? `, ${r.dropped} dropped (the traffic log says why)` : ''}`);
  return {};
});
