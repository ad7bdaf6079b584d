import type { Database, Knex } from '@utm5/db';
import { substituteShapingVariables } from '@utm5/protocol';
import { badInput as bad } from '../billing/billing-error';
import { ServiceType } from '../tariffication/model';
import {
  ACC_STATE,
  DIRECTIONS,
  SHAPING_FLAG,
  type AccState,
  type Direction,
  type DirectionShaping,
  type ShapingAttr,
  type ShapingLimit,
  type ShapingSettings,
  type TurboSetting,
} from './settings';

/** More would be a typing error, not a tariff: a link is decided against every limit every 5 minutes. */
const MAX_LIMITS = 1000;
const MAX_ATTRS = 100;
/** IN_BANDWIDTH_BITS (W*1024) must fit a RADIUS integer (32 bits): about 4 Gbit/s. */
const MAX_KBIT = Math.floor(0xffffffff / 1024);

type Row = Record<string, unknown>;

function limitRow(r: Row): ShapingLimit {
  return {
    accState: Number(r['acc_state']) as AccState,
    border: Number(r['border']),
    timeRangeId: Number(r['time_range_id']),
    kbit: Number(r['bandwidth']),
  };
}

function turboRow(r: Row): TurboSetting {
  return {
    serviceId: Number(r['turbo_service_id']),
    inRate: Number(r['in_rate']),
    outRate: Number(r['out_rate']),
    inLimit: Number(r['in_limit']),
    outLimit: Number(r['out_limit']),
    name: Number(r['name']),
    duration: Number(r['duration']),
    acctPeriodFlag: Number(r['acct_period_flag']),
  };
}

/**
 * Shaping settings of IP traffic services in the database. `changed` tells the shaping module to decide again (after
 * the change has committed).
 */
export class ShapingCatalog {
  constructor(
    private readonly db: Database,
    private readonly changed: () => void,
  ) {}

  /** Every service's settings, by service id. */
  async all(k: Knex | Knex.Transaction = this.db.knex): Promise<Map<number, ShapingSettings>> {
    const heads: Row[] = await k('shaping').orderBy('service_id');
    const classes: Row[] = await k('shaping_tclasses').orderBy(['service_id', 'direction', 'tclass_id']);
    const limits: Row[] = await k('shaping_limits').orderBy('id');
    const attrs: Row[] = await k('shaping_radius_attrs').orderBy('id');
    const turbo: Row[] = await k('shaping_turbo').orderBy('id');
    const of = (rows: Row[], sid: number) => rows.filter((r) => Number(r['service_id']) === sid);
    const dir = (sid: number, d: Direction): DirectionShaping => ({
      tclasses: of(classes, sid)
        .filter((r) => r['direction'] === d)
        .map((r) => Number(r['tclass_id'])),
      limits: of(limits, sid)
        .filter((r) => r['direction'] === d)
        .map(limitRow),
    });
    return new Map(
      heads.map((h) => {
        const sid = Number(h['service_id']);
        return [
          sid,
          {
            flags: Number(h['flags']),
            in: dir(sid, 'in'),
            out: dir(sid, 'out'),
            attrs: of(attrs, sid).map((a) => ({
              vendor: Number(a['vendor']),
              attr: Number(a['attr']),
              type: Number(a['value_type']) as ShapingAttr['type'],
              value: String(a['value']),
            })),
            turbo: of(turbo, sid).map(turboRow),
          },
        ];
      }),
    );
  }

  async get(serviceId: number): Promise<ShapingSettings | undefined> {
    if (!(await this.db.knex('shaping').where({ service_id: serviceId }).first('service_id'))) return undefined;
    return (await this.all()).get(serviceId);
  }

  /** Shaped services that still exist, in id order. */
  async services(): Promise<{ id: number; name: string; comment: string }[]> {
    const rows: Row[] = await this.db
      .knex('shaping')
      .join('services', 'services.id', 'shaping.service_id')
      .where({ 'services.is_deleted': false })
      .orderBy('services.id')
      .select('services.id', 'services.name', 'services.comment');
    return rows.map((r) => ({ id: Number(r['id']), name: String(r['name']), comment: String(r['comment']) }));
  }

  private async check(trx: Knex.Transaction, serviceId: number, s: ShapingSettings): Promise<void> {
    const where = `shaping of service ${serviceId}`;
    const svc = await trx('services').where({ id: serviceId, is_deleted: false }).first('service_type');
    if (!svc) throw bad(`${where}: no service ${serviceId}`);
    if (Number(svc.service_type) !== ServiceType.IPTRAFFIC)
      throw bad(`${where}: service ${serviceId} is not an IP traffic service (only those are shaped)`);
    const kinds = SHAPING_FLAG.VPN | SHAPING_FLAG.NON_VPN;
    if ((s.flags & ~kinds) !== 0)
      throw bad(`${where}: flags ${s.flags}: only 1 (VPN IP groups) and 2 (non-VPN IP groups) are known`);
    const classes = new Set(
      (await trx('tclasses').where({ is_deleted: false }).select('id')).map((r: { id: number }) => Number(r.id)),
    );
    const ranges = new Set((await trx('time_ranges').select('id')).map((r: { id: number }) => Number(r.id)));
    for (const d of DIRECTIONS) {
      const side = `${where}, ${d === 'in' ? 'incoming' : 'outgoing'}`;
      for (const c of s[d].tclasses) if (!classes.has(c)) throw bad(`${side}: no traffic class ${c}`);
      if (s[d].limits.length > MAX_LIMITS) throw bad(`${side}: ${s[d].limits.length} limits; at most ${MAX_LIMITS}`);
      s[d].limits.forEach((l, i) => {
        const at = `${side} limit ${i + 1}`;
        if (![ACC_STATE.ANY, ACC_STATE.ACTIVE, ACC_STATE.BLOCKED].includes(l.accState))
          throw bad(`${at}: account state ${l.accState} must be 0 any, 1 not blocked or 2 blocked`);
        if (!(Number.isSafeInteger(l.border) && l.border >= 0))
          throw bad(`${at}: border ${l.border} must be bytes >= 0`);
        if (l.timeRangeId !== 0 && !ranges.has(l.timeRangeId))
          throw bad(`${at}: no time range ${l.timeRangeId} (0: at any time)`);
        if (!(Number.isInteger(l.kbit) && l.kbit >= 1 && l.kbit <= MAX_KBIT)) {
          throw bad(`${at}: bandwidth ${l.kbit} must be 1..${MAX_KBIT} Kbit/s (leave the limit out for no limit)`);
        }
      });
    }
    if (s.attrs.length > MAX_ATTRS) throw bad(`${where}: ${s.attrs.length} RADIUS attributes; at most ${MAX_ATTRS}`);
    s.attrs.forEach((a, i) => {
      const at = `${where}, RADIUS attribute ${i + 1}`;
      if (!(Number.isInteger(a.vendor) && a.vendor >= 0 && a.vendor <= 0xffffff))
        throw bad(`${at}: vendor ${a.vendor} must be 0..16777215`);
      if (!(Number.isInteger(a.attr) && a.attr >= 1 && a.attr <= 255))
        throw bad(`${at}: attribute ${a.attr} must be 1..255`);
      if (![0, 1, 2].includes(a.type))
        throw bad(`${at}: rad_type ${a.type}: the value is sent as 0 an integer, 1 a string or 2 an IPv4 address`);
      if (a.value.length === 0 || Buffer.byteLength(a.value) > 1024)
        throw bad(`${at}: the value must be 1..1024 bytes`);
      if (a.type === 0 && !Number.isFinite(Number(substituteShapingVariables(a.value, 1, 1)))) {
        throw bad(
          `${at}: '${a.value}' is sent as an integer (rad_type 0), so it must be a number or one variable such as IN_BANDWIDTH_BITS; send text with rad_type 1`,
        );
      }
    });
  }

  /** Adds (mode 'add', refused when the service has shaping) or replaces (mode 'edit', refused when it has none). */
  async put(serviceId: number, s: ShapingSettings, mode: 'add' | 'edit'): Promise<void> {
    await this.db.tx(async (trx) => {
      await this.check(trx, serviceId, s);
      const has = Boolean(await trx('shaping').where({ service_id: serviceId }).first('service_id'));
      if (mode === 'add' && has) throw bad(`service ${serviceId} has shaping already: edit it (rpcf_edit_shaping)`);
      if (mode === 'edit' && !has) throw bad(`service ${serviceId} has no shaping: add it (rpcf_add_shaping)`);
      await this.clear(trx, serviceId, true);
      await trx('shaping').insert({ service_id: serviceId, flags: s.flags });
      for (const d of DIRECTIONS) {
        for (const c of new Set(s[d].tclasses))
          await trx('shaping_tclasses').insert({ service_id: serviceId, direction: d, tclass_id: c });
        for (const l of s[d].limits) {
          await trx('shaping_limits').insert({
            service_id: serviceId,
            direction: d,
            acc_state: l.accState,
            border: l.border,
            time_range_id: l.timeRangeId,
            bandwidth: l.kbit,
          });
        }
      }
      for (const a of s.attrs)
        await trx('shaping_radius_attrs').insert({
          service_id: serviceId,
          vendor: a.vendor,
          attr: a.attr,
          value_type: a.type,
          value: a.value,
        });
      for (const t of s.turbo) {
        await trx('shaping_turbo').insert({
          service_id: serviceId,
          turbo_service_id: t.serviceId,
          in_rate: t.inRate,
          out_rate: t.outRate,
          in_limit: t.inLimit,
          out_limit: t.outLimit,
          name: t.name,
          duration: t.duration,
          acct_period_flag: t.acctPeriodFlag,
        });
      }
    });
    this.changed();
  }

  /** Removes a service's shaping; its turbo mode settings too when asked. Refused when the service has none. */
  async remove(serviceId: number, withTurbo: boolean): Promise<void> {
    await this.db.tx(async (trx) => {
      if (!(await trx('shaping').where({ service_id: serviceId }).first('service_id')))
        throw bad(`service ${serviceId} has no shaping`);
      await this.clear(trx, serviceId, withTurbo);
    });
    this.changed();
  }

  private async clear(trx: Knex.Transaction, serviceId: number, withTurbo: boolean): Promise<void> {
    for (const t of [
      'shaping',
      'shaping_tclasses',
      'shaping_limits',
      'shaping_radius_attrs',
      ...(withTurbo ? ['shaping_turbo'] : []),
    ]) {
      await trx(t).where({ service_id: serviceId }).delete();
    }
  }
}
