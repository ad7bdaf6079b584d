import { createHash, timingSafeEqual } from 'node:crypto';
import { errorLine, moneyToDouble, type Clock, type Logger, type SecretBox } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import {
  TEL_CALL,
  TEL_CALL_KIND,
  TEL_RETURN_CODE,
  radiusChapMatches,
  telAuthorizeArgs,
  telCallWire,
  type TelAuthorizeArgs,
  type TelAuthorizeResult,
  type TelCallWire,
} from '@utm5/protocol';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';
import { RadiusCatalog } from '../radius/catalog';
import { ServiceType } from '../tariffication/model';
import type { StreamHub } from '../stream/stream-hub';
import type { TelCalls } from './calls';
import type { CallRecord, TelUsage } from './model';
import { classOf, creditSeconds } from './rating';
import { linkByLogin, strippedCalled, type LoginLink } from './radius-links';
import { callLimitRefusal } from './radius-limits';
import type { TelSnapshot } from './snapshot';

export interface TelRadiusDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly stream: StreamHub;
  readonly calls: TelCalls;
  readonly snapshot: () => TelSnapshot;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
  /** The billing events: 'session' open at a call's Start, close at its Stop. */
  readonly events?: EventSink;
}

/** The call uid of a RADIUS call leg in tel_calls and tel_sessions (rule 8: the source's id). */
export const h323Uid = (uid: string): string => `h323:${uid}`;

const refuse = (code: number, reason: string): TelAuthorizeResult => ({ accepted: false, code, reason });

/** Constant-time compare of a PAP password, hashed first so the stored length does not leak through timing. */
function sameText(a: string, b: string): boolean {
  const h = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * utm5_radius's telephony in the core: the Stream method that answers h323 registrations and call authorizations
 * (the manual: the link by the login of its numbers, the password, the account's block state and money, the
 * direction and its class, the time covered, the simultaneous-call limits; h323-credit-time = what the money pays
 * within the covered time, at most tel_session_timeout), and the record kind of Accounting Start/Stop: a Start opens
 * a tel_sessions row, a Stop closes it and rates the call once (its uid is the conf id and call origin).
 */
export class TelRadius {
  /** Read-only use of the RADIUS catalog: the accounts and capacity limits as utm5_radius's topics have them. */
  private readonly radius: RadiusCatalog;

  constructor(private readonly d: TelRadiusDeps) {
    this.radius = new RadiusCatalog(d.db, d.secrets, () => undefined);
  }

  /** Registers the Stream method and record kind with the hub. */
  start(): void {
    const hub = this.d.stream;
    hub.method(TEL_CALL.AUTHORIZE, async (_from, args) => {
      const a = telAuthorizeArgs(args);
      if (!a)
        throw new Error(
          'telephony authorization needs login, calling, called, trunks, pbxId, nas, password (text) and sessionTimeout',
        );
      return this.authorize(a);
    });
    hub.recordKind(TEL_CALL_KIND, (trx, _from, items, now) => this.apply(trx, items, now));
  }

  /** Answers one registration (called = '') or call authorization. */
  async authorize(a: TelAuthorizeArgs): Promise<TelAuthorizeResult> {
    const r = await this.decide(a);
    const what = a.called === '' ? 'registration' : `call '${a.calling}' -> '${a.called}'`;
    if (r.accepted) this.d.log.debug(`telephony ${what} of '${a.login}' (NAS ${a.nas}) accepted: ${r.creditTime} s`);
    else this.d.log.info(`telephony ${what} of '${a.login}' (NAS ${a.nas}) refused: ${r.reason}`);
    return r;
  }

  private async decide(a: TelAuthorizeArgs): Promise<TelAuthorizeResult> {
    const snap = this.d.snapshot();
    const found = linkByLogin(snap, a.login);
    if (!found)
      return refuse(TEL_RETURN_CODE.NO_USER, `no live telephony service link has a number with login '${a.login}'`);
    if (!(await this.passwordMatches(found, a)))
      return refuse(TEL_RETURN_CODE.NO_USER, `wrong password for login '${a.login}' (${a.chap ? 'CHAP' : 'PAP'})`);
    const { link } = found;
    const [acc] = await this.radius.accountItems([link.accountId]);
    if (!acc) return refuse(TEL_RETURN_CODE.NO_USER, `account ${link.accountId} of link ${link.slinkId} is gone`);
    const blocked = acc.blockType !== 0 || !acc.intStatus;
    const creditAmount = moneyToDouble(acc.balance);
    const numbers = found.numbers;
    if (a.called === '') {
      if (blocked) return refuse(TEL_RETURN_CODE.BLOCKED, `account ${acc.id} is blocked`);
      return { accepted: true, code: TEL_RETURN_CODE.ACTIVE, creditTime: 0, creditAmount, numbers };
    }
    const tariff = snap.tariffs.get(link.serviceId);
    if (!tariff)
      return refuse(TEL_RETURN_CODE.NO_USER, `service ${link.serviceId} of link ${link.slinkId} has no telephony part`);
    const dir = snap.directions.match({
      called: strippedCalled(found.entries, a.called),
      calling: a.calling,
      incomingTrunk: a.incomingTrunk,
      outgoingTrunk: a.outgoingTrunk,
      pbxId: a.pbxId,
    });
    if (!dir) return refuse(TEL_RETURN_CODE.NO_USER, `the call matches no telephone direction`);
    const emergency = blocked && tariff.emergencyZones.has(dir.zoneId);
    if (blocked && !emergency) return refuse(TEL_RETURN_CODE.BLOCKED, `account ${acc.id} is blocked`);
    const now = this.d.clock.now();
    const cap = a.sessionTimeout;
    const limited = await callLimitRefusal(
      this.d.db.knex,
      {
        slinkId: link.slinkId,
        serviceId: link.serviceId,
        account: acc,
        linkMax: tariff.maxSessions,
        serviceLinks: new Set(
          [...snap.links.values()].filter((l) => l.serviceId === link.serviceId).map((l) => l.slinkId),
        ),
      },
      await this.radius.limitItems(),
      now - cap,
    );
    if (limited) return refuse(TEL_RETURN_CODE.BLOCKED, limited);
    const ok = (creditTime: number): TelAuthorizeResult => ({
      accepted: true,
      code: TEL_RETURN_CODE.ACTIVE,
      creditTime,
      creditAmount,
      numbers,
    });
    // Calls of a skip direction are not accounted, and an emergency call is let through whatever the money.
    if (dir.skip || emergency) return ok(cap);
    const cls = classOf(tariff, dir);
    if (!cls)
      return refuse(TEL_RETURN_CODE.NO_USER, `direction '${dir.name}' is not priced by service ${link.serviceId}`);
    const money = acc.unlimited ? Number.MAX_SAFE_INTEGER : acc.balance + acc.credit;
    if (money <= 0 && !acc.unlimited) return refuse(TEL_RETURN_CODE.BLOCKED, `account ${acc.id} has no money left`);
    const usage = await this.usage(link.slinkId, link.periodId, cls.tariffClass);
    const seconds = creditSeconds(tariff, cls, now, usage, money, cap, this.d.timezone);
    if (seconds <= 0)
      return refuse(
        TEL_RETURN_CODE.BLOCKED,
        `direction '${dir.name}': the current time is not covered by service ${link.serviceId}, or the money pays for no second`,
      );
    return ok(seconds);
  }

  /** The password of any of the login's entries (sealed in tel_numbers); an entry without one lets the login in. */
  private async passwordMatches(found: LoginLink, a: TelAuthorizeArgs): Promise<boolean> {
    const ids = found.entries.map((e) => e.id);
    const rows: Record<string, unknown>[] = await this.d.db.knex('tel_numbers').whereIn('id', ids).select('password');
    for (const r of rows) {
      const sealed = String(r['password'] ?? '');
      let stored: string;
      try {
        stored = sealed === '' ? '' : this.d.secrets.open(sealed);
      } catch (err) {
        this.d.log.error(`the password of a number of link ${found.link.slinkId} cannot be opened: ${errorLine(err)}`);
        continue;
      }
      if (stored === '') return true;
      if (a.chap) {
        if (radiusChapMatches(Buffer.from(a.chap.response, 'hex'), Buffer.from(a.chap.challenge, 'hex'), stored))
          return true;
      } else if (sameText(a.password, stored)) return true;
    }
    return false;
  }

  private async usage(slinkId: number, periodId: number, tariffClass: number): Promise<TelUsage> {
    const row: Record<string, unknown> | undefined = await this.d.db
      .knex('tel_usage')
      .where({ slink_id: slinkId, period_id: periodId, tariff_class: tariffClass })
      .first('used', 'prepaid_used');
    return { used: Number(row?.['used'] ?? 0), prepaidUsed: Number(row?.['prepaid_used'] ?? 0) };
  }

  /** One batch of TEL_CALL_KIND records, in the commit transaction with the sender's sequence number. */
  async apply(trx: Knex.Transaction, items: unknown[], now: number): Promise<void> {
    const snap = this.d.snapshot();
    const stops: CallRecord[] = [];
    for (const item of items) {
      const w = telCallWire(item);
      if (typeof w === 'string') {
        // One bad record must not hold back the good ones of its batch (the spool would resend it for ever).
        this.d.log.warn(`telephony call record from utm5_radius ignored: ${w}`);
        continue;
      }
      if (w.op === 'start') await this.opened(trx, snap, w, now);
      else stops.push(await this.closed(trx, snap, w, now));
    }
    if (stops.length === 0) return;
    const outcomes = await this.d.calls.rateIn(trx, stops, 'radius', now);
    outcomes.forEach((o, i) => {
      if (o.kind === 'refused') this.d.log.info(`telephony call ${stops[i]!.sessionId} not rated: ${o.reason}`);
    });
  }

  /** Accounting-Start: an open tel_sessions row (by uid: a repeat changes nothing); a login no link has is ignored. */
  private async opened(trx: Knex.Transaction, snap: TelSnapshot, w: TelCallWire, now: number): Promise<void> {
    const uid = h323Uid(w.uid);
    const found = linkByLogin(snap, w.login) ?? byCalling(snap, w.calling);
    if (!found) {
      this.d.log.debug(`Accounting-Start of call ${uid}: no live telephony link has login '${w.login}'; ignored`);
      return;
    }
    if (await trx('tel_sessions').where({ call_uid: uid }).first('id')) return;
    await trx('tel_sessions').insert({
      call_uid: uid,
      nas_ip: w.nas,
      slink_id: found.link.slinkId,
      account_id: found.link.accountId,
      login: w.login,
      calling: w.calling,
      called: w.called,
      started_at: w.time,
      updated_at: now,
    });
    await this.raise(trx, 'open', found.link, w, now);
  }

  private async raise(
    trx: Knex.Transaction,
    op: 'open' | 'close',
    link: { readonly slinkId: number; readonly accountId: number; readonly serviceId: number },
    w: TelCallWire,
    now: number,
  ): Promise<void> {
    await (this.d.events ?? NO_LISTENERS).emit(
      trx,
      {
        kind: 'session',
        op,
        accountId: link.accountId,
        slinkId: link.slinkId,
        serviceId: link.serviceId,
        serviceType: ServiceType.TELEPHONY,
        nasId: '',
        nasIp: w.nas,
        sessionId: w.uid,
        callingSid: w.calling,
        calledSid: w.called,
        framedIp: '',
      },
      now,
    );
  }

  /**
   * Accounting-Stop: the call's tel_sessions row closed, and the call to rate. The manual: no start time in the Stop,
   * the Start's; no duration, the end minus the start.
   */
  private async closed(trx: Knex.Transaction, snap: TelSnapshot, w: TelCallWire, now: number): Promise<CallRecord> {
    const uid = h323Uid(w.uid);
    const open: Record<string, unknown> | undefined = await trx('tel_sessions')
      .where({ call_uid: uid })
      .first('started_at', 'slink_id', 'account_id');
    const known = open ? Number(open['started_at']) : undefined;
    const start = w.started ?? known ?? (w.duration >= 0 ? w.time - w.duration : w.time);
    const duration = w.duration >= 0 ? w.duration : Math.max(0, w.time - start);
    if (open) {
      const closed = await trx('tel_sessions')
        .where({ call_uid: uid, stopped_at: 0 })
        .update({ stopped_at: w.time, updated_at: w.time });
      // Only the Stop that closed the session: a repeated Stop closes nothing.
      if (closed > 0) {
        const slinkId = Number(open['slink_id']);
        const serviceId = snap.links.get(slinkId)?.serviceId ?? 0;
        await this.raise(trx, 'close', { slinkId, accountId: Number(open['account_id']), serviceId }, w, now);
      }
    }
    return {
      calling: w.calling,
      called: w.called,
      incomingTrunk: w.incomingTrunk,
      outgoingTrunk: w.outgoingTrunk,
      sessionId: uid,
      pbxId: w.pbxId,
      login: w.login,
      disconnectCause: w.cause,
      start,
      duration,
      ...(w.zeroCost ? { zeroCost: true } : {}),
    };
  }
}

/** A Start without a known login: the link whose number is the calling number (ANI), as rating finds it. */
function byCalling(snap: TelSnapshot, calling: string): LoginLink | undefined {
  if (calling === '') return undefined;
  const n = snap.numbers.find((x) => x.number === calling && snap.links.has(x.slinkId));
  return n
    ? (linkByLogin(snap, n.login) ?? { link: snap.links.get(n.slinkId)!, entries: [n], numbers: [n.number] })
    : undefined;
}
