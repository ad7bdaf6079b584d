import type { Logger } from '@utm5/common';
import type { Knex } from '@utm5/db';
import type { SessionEventWire } from '@utm5/protocol';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';
import type { Charger } from '../tariffication/charger';
import { ServiceType } from '../tariffication/model';
import type { AccountingTraffic, AccountingTrafficRecord } from '../traffic/accounting-traffic';
import { timeCost, type TimePrice } from '@utm5/common';
import { bindDynamicAddress, isDynamicTimeService } from '../traffic/dynamic-ip';
import { sessionTraffic } from './session-traffic';

const OPS = new Set(['start', 'interim', 'stop']);
/** Acct-Status-Type of each event, as the sessions report shows the last one. */
const STATUS = { start: 1, stop: 2, interim: 3 } as const;
const str = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;
const int = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

function valid(x: unknown): x is SessionEventWire {
  const e = x as SessionEventWire;
  return (
    typeof e === 'object' &&
    e !== null &&
    OPS.has(e.op) &&
    str(e.nas, 64) &&
    str(e.sid, 255) &&
    e.sid.length > 0 &&
    str(e.login, 255) &&
    int(e.slinkId) &&
    int(e.accountId) &&
    int(e.serviceType) &&
    str(e.framedIp, 64) &&
    str(e.calling, 255) &&
    str(e.called, 255) &&
    int(e.time) &&
    int(e.duration) &&
    int(e.inOctets) &&
    int(e.outOctets) &&
    str(e.cause, 64) &&
    (e.pool === undefined || e.pool === 'guest' || e.pool === 'blocked') &&
    [e.nasPort, e.nasPortType, e.inPackets, e.outPackets].every((v) => v === undefined || int(v)) &&
    (e.nasId === undefined || str(e.nasId, 255)) &&
    (e.billTraffic === undefined || typeof e.billTraffic === 'boolean')
  );
}

/**
 * Sessions reported by utm5_radius: one row per NAS and Acct-Session-Id, created by whichever event comes first (a
 * Stop for an unknown session creates it, as the manual says), and dial-up/hotspot connection time charged as the
 * session goes: at each Interim-Update and at the Stop, what the time so far costs beyond what was charged. Time in
 * the guest or blocked pool is not charged. Events utm5_radius marked billTraffic bill the growth of the octet
 * counters as IP traffic (session-traffic.ts). A Start of a dial-up/hotspot link whose service has dynamic IP
 * addresses binds the session's address to the account's IP traffic link (`bound` counts them: the IP groups changed).
 */
export class RadiusSessions {
  /**
   * `dynamicLink` answers from memory whether a dial-up/hotspot link's service has dynamic IP addresses (undefined:
   * not known yet, e.g. a link made a moment ago): most Starts then cost no query for it.
   */
  constructor(
    private readonly charger: Charger,
    private readonly prices: (serviceId: number) => { prices: TimePrice[]; tz: string },
    private readonly log: Logger,
    private readonly traffic: AccountingTraffic,
    private readonly dynamicLink: (slinkId: number) => boolean | undefined = () => undefined,
    /** The billing events: 'session' open at a new session's Start, close at its Stop; 'link' edit on a bound address. */
    private readonly events: EventSink = NO_LISTENERS,
  ) {}

  async apply(
    trx: Knex.Transaction,
    items: readonly unknown[],
    now: number,
  ): Promise<{ applied: number; dropped: number; bound: number }> {
    let applied = 0;
    let dropped = 0;
    let bound = 0;
    const traffic: AccountingTrafficRecord[] = [];
    for (const it of items) {
      if (!valid(it)) {
        dropped++;
        continue;
      }
      if (await this.one(trx, it, now, traffic)) bound++;
      applied++;
    }
    if (dropped > 0) this.log.warn(`RADIUS: ${dropped} malformed session record(s) dropped`);
    // Billed in the transaction that commits the events and the counters marked billed: exactly once.
    if (traffic.length > 0) await this.traffic.bill(trx, traffic, now);
    return { applied, dropped, bound };
  }

  /** Applies one event; true when it bound a dynamic address to an IP traffic link. */
  private async one(
    trx: Knex.Transaction,
    e: SessionEventWire,
    now: number,
    traffic: AccountingTrafficRecord[],
  ): Promise<boolean> {
    const key = { nas_ip: e.nas, acct_session_id: e.sid };
    let row = await trx('radius_sessions').where(key).first();
    // A Start says when the session began; otherwise it began Acct-Session-Time before the event.
    const started = e.op === 'start' ? e.time : Math.max(0, e.time - e.duration);
    // What every event sets: the last request's status and the NAS's port and identifier.
    const upd: Record<string, unknown> = { updated_at: now, acct_status: STATUS[e.op] };
    if (e.nasPort !== undefined) upd['nas_port'] = e.nasPort;
    if (e.nasPortType !== undefined) upd['nas_port_type'] = e.nasPortType;
    if (e.nasId) upd['nas_identifier'] = e.nasId;
    let fresh = false;
    if (!row) {
      const created = {
        ...key,
        login: e.login,
        slink_id: e.slinkId,
        account_id: e.accountId,
        service_type: e.serviceType,
        framed_ip: e.framedIp,
        calling_station: e.calling,
        called_station: e.called,
        started_at: started,
        pool_kind: e.pool ?? '',
        ...upd,
      };
      await trx('radius_sessions').insert(created);
      fresh = true;
      // A Start (most new rows) needs nothing more of the row than what it wrote: no second read.
      row =
        e.op === 'start'
          ? {
              ...created,
              stopped_at: 0,
              duration: 0,
              in_octets: 0,
              out_octets: 0,
              in_packets: 0,
              out_packets: 0,
              charged: 0,
              billed_in_octets: 0,
              billed_out_octets: 0,
            }
          : await trx('radius_sessions').where(key).first();
    } else if (Number(row.stopped_at) > 0) {
      return false; // closed already: a late or repeated Interim/Stop changes nothing
    }
    if (e.op !== 'start') {
      upd['duration'] = Math.max(Number(row.duration), e.duration);
      upd['in_octets'] = Math.max(Number(row.in_octets), e.inOctets);
      upd['out_octets'] = Math.max(Number(row.out_octets), e.outOctets);
      upd['in_packets'] = Math.max(Number(row.in_packets), e.inPackets ?? 0);
      upd['out_packets'] = Math.max(Number(row.out_packets), e.outPackets ?? 0);
    }
    if (e.framedIp && !row.framed_ip) upd['framed_ip'] = e.framedIp;
    if (e.op === 'stop') {
      upd['stopped_at'] = e.time || now;
      upd['terminate_cause'] = e.cause;
    }
    const billed = sessionTraffic(e, row, now);
    if (billed) {
      Object.assign(upd, billed.columns);
      if (billed.record) traffic.push(billed.record);
    }
    // A new Start's row has all of it already.
    if (!(fresh && e.op === 'start')) await trx('radius_sessions').where(key).update(upd);
    // A session opens with its first Start (a repeated one opens nothing) and closes with its Stop (a closed session
    // returned above).
    if ((fresh && e.op === 'start') || e.op === 'stop')
      await this.raise(trx, e.op === 'start' ? 'open' : 'close', e, row, upd, now);
    const type = Number(row.service_type);
    const timed = (type === ServiceType.DIALUP || type === ServiceType.HOTSPOT) && Number(row.slink_id) > 0;
    if (e.op !== 'start' && timed && !row.pool_kind) {
      await this.chargeTime(
        trx,
        Number(row.id),
        Number(row.slink_id),
        Number(row.started_at),
        Number(upd['duration']),
        Number(row.charged),
        now,
      );
    }
    if (
      e.op === 'start' &&
      timed &&
      e.framedIp &&
      !e.pool &&
      Number(row.account_id) > 0 &&
      this.dynamicLink(Number(row.slink_id)) !== false
    ) {
      const link = await this.charger.link(trx, Number(row.slink_id));
      if (link && (await isDynamicTimeService(trx, link.serviceId))) {
        const to = await bindDynamicAddress(trx, Number(row.account_id), e.framedIp);
        if (to !== undefined) {
          await this.events.emit(
            trx,
            {
              kind: 'link',
              op: 'edit',
              serviceType: ServiceType.IPTRAFFIC,
              accountId: Number(row.account_id),
              slinkId: to,
            },
            now,
          );
          this.log.info(
            `RADIUS: address ${e.framedIp} of session ${e.sid} ('${e.login}') bound to IP traffic link ${to}`,
          );
          return true;
        }
      }
    }
    return false;
  }

  private async raise(
    trx: Knex.Transaction,
    op: 'open' | 'close',
    e: SessionEventWire,
    row: Record<string, unknown>,
    upd: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    const slinkId = Number(row['slink_id']);
    const link = slinkId > 0 ? await trx('service_links').where({ id: slinkId }).first('service_id') : undefined;
    await this.events.emit(
      trx,
      {
        kind: 'session',
        op,
        accountId: Number(row['account_id']),
        slinkId,
        serviceId: Number(link?.service_id ?? 0),
        serviceType: Number(row['service_type']),
        nasId: String(e.nasId ?? row['nas_identifier'] ?? ''),
        nasIp: e.nas,
        sessionId: e.sid,
        callingSid: String(row['calling_station'] ?? ''),
        calledSid: String(row['called_station'] ?? ''),
        framedIp: String(upd['framed_ip'] ?? row['framed_ip'] ?? ''),
      },
      now,
    );
  }

  private async chargeTime(
    trx: Knex.Transaction,
    sessionId: number,
    slinkId: number,
    start: number,
    duration: number,
    charged: number,
    now: number,
  ): Promise<void> {
    const link = await this.charger.link(trx, slinkId);
    if (!link || link.periodId === 0) return;
    const svc = await this.charger.service(trx, link.serviceId);
    const p = this.prices(svc.id);
    const due = Math.round(timeCost(p.prices, start, start + duration, p.tz)) - charged;
    if (due <= 0) return;
    await this.charger.move(trx, link, svc, link.periodId, due, now, `${svc.name}: connection time`, 'charge', false);
    await trx('radius_sessions')
      .where({ id: sessionId })
      .update({ charged: charged + due });
  }
}
