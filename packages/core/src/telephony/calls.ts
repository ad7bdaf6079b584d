import type { Clock, Logger } from '@utm5/common';
import { isUniqueViolation, type Database, type Knex } from '@utm5/db';
import type { Billing } from '../billing/billing';
import type { Tariffication } from '../tariffication/engine';
import type { UsageCharge } from '../tariffication/charger';
import type { SLink } from '../tariffication/model';
import { callUid, checkRecord } from './call-check';
import { callStore, usageKey, type CallRow } from './call-store';
import {
  CALL_FLAG,
  type CallOutcome,
  type CallRecord,
  type CallSource,
  type RatedCall,
  type TelTariff,
  type TelUsage,
} from './model';
import type { NumberMatch } from './number-index';
import { classOf, rateCall } from './rating';
import type { TelSnapshot } from './snapshot';

export interface TelCallsDeps {
  readonly db: Database;
  readonly tariffication: Pick<Tariffication, 'charger'>;
  /** The account locks every charge runs under, and the funds check after a charge. */
  readonly billing: Pick<Billing, 'locks' | 'blocks'>;
  readonly snapshot: () => TelSnapshot;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
}

const NO_USAGE: TelUsage = { used: 0, prepaidUsed: 0 };

/** A telephony link whose service has no telephony part: its calls are kept, priced at zero (no class). */
const zeroTariff = (serviceId: number): TelTariff => ({
  serviceId,
  freeTime: 0,
  firstPeriodLength: 0,
  firstPeriodStep: 1,
  secondPeriodStep: 1,
  unitSize: 60,
  discountFreeTime: false,
  minimumCharge: 0,
  maxSessions: 0,
  classes: new Map(),
  emergencyZones: new Set(),
});

const SKIPPED_CALL: RatedCall = { rounded: 0, parts: [], cost: 0, fixedCost: 0, usage: NO_USAGE, covered: true };

/** The call as rated, its money taken out: the seconds still count (usage, report), nothing is charged. */
const zeroCost = (c: RatedCall): RatedCall => ({
  ...c,
  cost: 0,
  fixedCost: 0,
  parts: c.parts.map((p) => ({ ...p, basePrice: 0, cost: 0 })),
});

/** A record checked (or why not) and the link's number it belongs to, looked up once per batch. */
interface Checked {
  readonly r: CallRecord | string;
  readonly match: NumberMatch | undefined;
}

/** A call that found its link, waiting for the batch's links and usage to be read. */
interface Pending {
  readonly i: number;
  readonly r: CallRecord;
  readonly uid: string;
  readonly match: NumberMatch;
}

/** Why no link was found, with the numbers it was looked for by. */
const noLink = (r: CallRecord) =>
  `no live telephony service link has calling number '${r.calling}' (with these trunks and PBX), a tech prefix of ` +
  `called number '${r.called}', login '${r.login}' or number '${r.called}'`;

/**
 * The call pipeline: finds each call's link (ANI, tech prefix, login, called number), its direction and tariff class,
 * rates it, and writes the call, its parts, the usage and the charge in one transaction; a call id seen before is
 * counted as a duplicate and charged nothing. A batch costs a constant number of queries per chunk (on SQLite a
 * prepared statement per row written), its charges one ledger row per link posted in bulk.
 */
export class TelCalls {
  constructor(private readonly d: TelCallsDeps) {}

  /** Rates a batch in one transaction under the locks of its accounts; one outcome per record, in order. */
  async rate(records: readonly CallRecord[], source: CallSource): Promise<CallOutcome[]> {
    const now = this.d.clock.now();
    const snap = this.d.snapshot();
    const checked = this.check(snap, records, now);
    const accounts = new Set<number>();
    for (const c of checked) {
      const l = c.match && snap.links.get(c.match.entry.slinkId);
      if (l) accounts.add(l.accountId);
    }
    const once = () => this.d.db.tx((trx) => this.rateChecked(trx, snap, checked, source, now));
    return this.d.billing.locks.with([...accounts], async () => {
      try {
        return await once();
      } catch (err) {
        // A concurrent batch of other accounts committed one of these call ids first: again, it is a duplicate now.
        if (!isUniqueViolation(err)) throw err;
        return once();
      }
    });
  }

  /**
   * Rates a batch in the caller's transaction (Stream record kinds commit with their spool); the caller holds the
   * locks of the accounts (or accepts that a concurrent charge of them waits on the database).
   */
  async rateIn(
    trx: Knex.Transaction,
    records: readonly CallRecord[],
    source: CallSource,
    now: number,
  ): Promise<CallOutcome[]> {
    const snap = this.d.snapshot();
    return this.rateChecked(trx, snap, this.check(snap, records, now), source, now);
  }

  /** Each record checked, and the number it belongs to found in the snapshot's index. */
  private check(snap: TelSnapshot, records: readonly CallRecord[], now: number): Checked[] {
    return records.map((rec) => {
      const r = checkRecord(rec, now);
      return { r, match: typeof r === 'string' ? undefined : snap.index.find(r) };
    });
  }

  private async rateChecked(
    trx: Knex.Transaction,
    snap: TelSnapshot,
    checked: readonly Checked[],
    source: CallSource,
    now: number,
  ): Promise<CallOutcome[]> {
    const store = await callStore(trx);
    const out: CallOutcome[] = new Array(checked.length);
    const uids = checked.map((c) => (typeof c.r === 'string' ? '' : callUid(c.r)));
    const known = await store.existingUids([...new Set(uids.filter((u) => u !== ''))]);
    const seen = new Set<string>();
    const pending: Pending[] = [];
    checked.forEach(({ r, match }, i) => {
      if (typeof r === 'string') return void (out[i] = { kind: 'refused', reason: r });
      const uid = uids[i]!;
      if (known.has(uid) || seen.has(uid)) return void (out[i] = { kind: 'duplicate' });
      if (!match) return void (out[i] = { kind: 'refused', reason: noLink(r) });
      seen.add(uid);
      pending.push({ i, r, uid, match });
    });
    if (pending.length === 0) return out;

    const links = await store.lockedLinks([...new Set(pending.map((p) => p.match.entry.slinkId))]);
    const live = (id: number): SLink | undefined => {
      const l = links.get(id);
      return l && !l.isDeleted && l.periodId > 0 ? l : undefined;
    };
    // Direction and class first (memory only), so the usage read is of the (link, period, class) keys called.
    const classed = pending.map((p) => {
      const link = live(p.match.entry.slinkId);
      if (!link) return undefined;
      const t = snap.tariffs.get(link.serviceId) ?? zeroTariff(link.serviceId);
      const r = p.r;
      const dir = snap.directions.match({
        called: p.match.kind === 'prefix' ? p.match.called : r.called,
        calling: r.calling,
        incomingTrunk: r.incomingTrunk,
        outgoingTrunk: r.outgoingTrunk,
        pbxId: r.pbxId,
      });
      const cls = dir && !dir.skip ? classOf(t, dir) : undefined;
      const key = cls ? usageKey(link.id, link.periodId, cls.tariffClass) : '';
      return { link, t, dir, cls, key };
    });
    const usage = await store.loadUsage(new Set(classed.flatMap((c) => (c?.key ? [c.key] : []))));
    const blocked = await store.blockedAccounts([...new Set(classed.flatMap((c) => (c ? [c.link.accountId] : [])))]);
    const touched = new Map<string, TelUsage>();
    const rows: CallRow[] = [];
    const rated: { i: number; call: RatedCall }[] = [];
    const due = new Map<number, number>();

    pending.forEach((p, n) => {
      const c = classed[n];
      if (!c) {
        out[p.i] = { kind: 'refused', reason: `service link ${p.match.entry.slinkId} of the call's number is gone` };
        return;
      }
      const { link, t, dir, cls, key } = c;
      const r = p.r;
      let flags = p.match.kind === 'incoming' ? CALL_FLAG.INCOMING : 0;
      let call = SKIPPED_CALL;
      let tariffClass = 0;
      if (dir?.skip) flags |= CALL_FLAG.SKIPPED;
      else {
        call = rateCall(t, cls, r.start, r.duration, cls ? (usage.get(key) ?? NO_USAGE) : NO_USAGE, this.d.timezone);
        if (cls) {
          tariffClass = cls.tariffClass;
          usage.set(key, call.usage);
          touched.set(key, call.usage);
        } else flags |= CALL_FLAG.NO_DIRECTION;
        if (!call.covered) flags |= CALL_FLAG.NOT_COVERED;
        if (r.duration <= t.freeTime) flags |= CALL_FLAG.FREE;
        if (r.zeroCost) {
          flags |= CALL_FLAG.ZERO_COST;
          call = zeroCost(call);
        }
      }
      if (dir && blocked.has(link.accountId) && t.emergencyZones.has(dir.zoneId)) flags |= CALL_FLAG.EMERGENCY;
      const charged = Math.round(call.cost);
      if (charged !== 0) due.set(link.id, (due.get(link.id) ?? 0) + charged);
      rows.push({
        call_uid: p.uid,
        source,
        slink_id: link.id,
        account_id: link.accountId,
        service_id: link.serviceId,
        period_id: link.periodId,
        login: r.login || p.match.entry.login,
        calling: r.calling,
        called: r.called,
        incoming_trunk: r.incomingTrunk,
        outgoing_trunk: r.outgoingTrunk,
        pbx_id: r.pbxId,
        session_id: r.sessionId,
        disconnect_cause: r.disconnectCause,
        start_time: r.start,
        duration: r.duration,
        rounded: call.rounded,
        zone_id: dir?.zoneId ?? 0,
        dir_id: dir?.id ?? 0,
        tariff_class: tariffClass,
        cost: call.cost,
        fixed_cost: Math.round(call.fixedCost),
        charged,
        flags,
        recv_date: now,
      });
      rated.push({ i: p.i, call });
    });

    const ids = await store.insertCalls(rows);
    await store.insertParts(
      rated.flatMap((x, n) => (x.call.parts.length > 0 ? [{ callId: ids[n]!, parts: x.call.parts }] : [])),
    );
    rated.forEach((x, n) => (out[x.i] = { kind: 'imported', callId: ids[n]!, cost: x.call.cost }));
    await store.saveUsage(touched);
    await this.charge(trx, links, due, now);
    return out;
  }

  /**
   * One ledger charge per link for the batch's calls, posted in bulk, then the funds check of each account charged
   * (an account the charge took below zero is blocked as checkFunds does; the calls stay charged).
   */
  private async charge(
    trx: Knex.Transaction,
    links: ReadonlyMap<number, SLink>,
    due: ReadonlyMap<number, number>,
    now: number,
  ): Promise<void> {
    if (due.size === 0) return;
    const charger = this.d.tariffication.charger;
    const charges: UsageCharge[] = [];
    await charger.memoized(async () => {
      for (const [id, base] of due) {
        const link = links.get(id)!;
        const svc = await charger.service(trx, link.serviceId);
        charges.push({ link, svc, periodId: link.periodId, base, comment: `${svc.name}: telephone calls` });
      }
    });
    await charger.chargeUsage(trx, charges, now);
    await this.d.billing.blocks.checkFundsAfterCharge(
      trx,
      charges.map((c) => c.link.accountId),
      now,
    );
  }
}
