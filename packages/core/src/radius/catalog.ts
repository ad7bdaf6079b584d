// Over ~400 lines: the RADIUS reference data (NAS, dial-up/hotspot parameters, logins, limits, prices) and the topic
// items built from it.
import type { SecretBox } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { AccountWire, LimitWire, LoginWire, NasWire, PriceWire, RadiusAttrWire } from '@utm5/protocol';
import { badInput as bad } from '../billing/billing-error';
import { ServiceType, toSLink, type SLink } from '../tariffication/model';
import { loadTimeRange } from '../tariffication/time-range-rows';
import { hotspotNetworks, setHotspotNetworks, type AllowedNet } from './hotspot-networks';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export interface NasDef {
  readonly name: string;
  readonly ip: string;
  readonly secret: string;
  readonly daePort?: number;
  readonly daeSecret?: string;
  readonly coa?: boolean;
  readonly comment?: string;
}

export interface DialupLinkDef {
  readonly login: string;
  readonly password: string;
  readonly allowedCid?: string;
  readonly allowedCsid?: string;
  readonly callbackAllowed?: boolean;
  readonly ringdownAllowed?: boolean;
  readonly callbackNumber?: string;
}

export type LimitLevel = LimitWire['level'];

/** The dial-up/hotspot part of a service: what utm5_radius authorizes and charges connection time by. */
export interface TimeServiceParams {
  readonly poolName: string;
  readonly maxSessions: number;
  readonly isDynamic: boolean;
  /** Seconds a session may last at most (the manual's "Maximum timeout"); 0 or absent: no cap. */
  readonly maxTimeout?: number;
  /** Put before the login of each new link (the manual's "Login prefix"). */
  readonly loginPrefix?: string;
  readonly prices: readonly { rangeId: number; pricePerHour: number }[];
}

function attrRow(r: Record<string, unknown>): RadiusAttrWire {
  return {
    vendor: Number(r['vendor']),
    attr: Number(r['attr']),
    tag: Number(r['tag']),
    value: String(r['value']),
    action: Number(r['action']) as 0 | 1 | 2,
  };
}

/**
 * RADIUS reference data on the core: NASes (secrets sealed with the core's key), attributes of NASes, services and
 * links, the dial-up/hotspot part of services, dial-up/hotspot logins, and capacity limits. `changed` tells the
 * RADIUS module to republish to utm5_radius.
 */
export class RadiusCatalog {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
    private readonly changed: () => void,
  ) {}

  // ---- NAS ----

  private checkNas(n: NasDef): void {
    if (!n.name.trim()) throw bad('a NAS needs a name');
    const m = IPV4.exec(n.ip);
    if (!(m && m.slice(1).every((x) => Number(x) <= 255)) && !n.ip.includes(':'))
      throw bad(`NAS '${n.name}': '${n.ip}' is not an IP address`);
    if (!n.secret)
      throw bad(`NAS '${n.name}': the shared secret must not be empty (the manual strongly advises a hard one)`);
    if (n.daePort !== undefined && !(n.daePort >= 1 && n.daePort <= 65535))
      throw bad(`NAS '${n.name}': DM/CoA port ${n.daePort} must be 1..65535`);
  }

  async addNas(n: NasDef): Promise<number> {
    this.checkNas(n);
    if (await this.db.knex('nas').where({ ip: n.ip, is_deleted: false }).first('id'))
      throw bad(`a NAS with address ${n.ip} is registered`);
    const [id] = await this.db.knex('nas').insert({
      name: n.name,
      ip: n.ip,
      secret: this.secrets.seal(n.secret),
      dae_port: n.daePort ?? 3799,
      dae_secret: n.daeSecret ? this.secrets.seal(n.daeSecret) : '',
      coa_enabled: n.coa ?? false,
      comment: n.comment ?? '',
    });
    this.changed();
    return Number(id);
  }

  async removeNas(id: number): Promise<void> {
    if ((await this.db.knex('nas').where({ id, is_deleted: false }).update({ is_deleted: true })) === 0)
      throw bad(`no NAS ${id}`);
    this.changed();
  }

  async setAttrs(owner: 'nas' | 'service' | 'slink', ownerId: number, attrs: readonly RadiusAttrWire[]): Promise<void> {
    await this.db.tx(async (trx) => {
      await trx('radius_attrs').where({ owner, owner_id: ownerId }).delete();
      for (const a of attrs)
        await trx('radius_attrs').insert({
          owner,
          owner_id: ownerId,
          vendor: a.vendor,
          attr: a.attr,
          tag: a.tag,
          value: a.value,
          action: a.action,
        });
    });
    this.changed();
  }

  // ---- dial-up / hotspot ----

  async setDialupParams(trx: Knex.Transaction, serviceId: number, p: TimeServiceParams): Promise<void> {
    if (p.maxSessions < 0) throw bad(`service ${serviceId}: simultaneous sessions ${p.maxSessions} must be >= 0`);
    if ((p.maxTimeout ?? 0) < 0)
      throw bad(`service ${serviceId}: maximum timeout ${p.maxTimeout} must be >= 0 seconds`);
    if ((p.loginPrefix ?? '').includes(':'))
      throw bad(
        `service ${serviceId}: login prefix '${p.loginPrefix}' must not contain ':' (the callback prefix separator)`,
      );
    for (const pr of p.prices) {
      if (!(await trx('time_ranges').where({ id: pr.rangeId }).first('id')))
        throw bad(`service ${serviceId}: no time range ${pr.rangeId}`);
      if (pr.pricePerHour < 0) throw bad(`service ${serviceId}: price per hour must be >= 0`);
    }
    await trx('dialup_services').where({ service_id: serviceId }).delete();
    await trx('dialup_services').insert({
      service_id: serviceId,
      pool_name: p.poolName,
      max_sessions: p.maxSessions,
      is_dynamic: p.isDynamic,
      max_timeout: p.maxTimeout ?? 0,
      login_prefix: (p.loginPrefix ?? '').toLowerCase(),
    });
    await trx('service_time_prices').where({ service_id: serviceId }).delete();
    for (const pr of p.prices)
      await trx('service_time_prices').insert({
        service_id: serviceId,
        range_id: pr.rangeId,
        price_per_hour: pr.pricePerHour,
      });
    this.changed();
  }

  /**
   * The dial-up/hotspot part of a service in the caller's transaction (the one that writes the service row): its
   * parameters and, for a hotspot service, its allowed networks.
   */
  async setTimeServicePart(
    trx: Knex.Transaction,
    serviceId: number,
    p: TimeServiceParams,
    nets?: readonly AllowedNet[],
  ): Promise<void> {
    await this.setDialupParams(trx, serviceId, p);
    if (nets) await setHotspotNetworks(trx, serviceId, nets);
  }

  /** Replaces the networks hotspot users of a service may log in from. */
  async setHotspotNetworks(serviceId: number, nets: readonly AllowedNet[]): Promise<void> {
    await this.db.tx((trx) => setHotspotNetworks(trx, serviceId, nets));
    this.changed();
  }

  /** The networks hotspot users of a service may log in from, by address and mask (none: anywhere). */
  async hotspotNetworks(serviceId: number): Promise<AllowedNet[]> {
    return (await hotspotNetworks(this.db.knex, serviceId)).map((n) => ({ ip: n.ip, mask: n.mask }));
  }

  /**
   * A new dial-up/hotspot link's login: the service's login prefix goes before it (the manual), and an account may
   * have one link of a service with dynamic IP addresses (its sessions' addresses go to the one IP traffic link).
   */
  async addTimeLink(
    trx: Knex.Transaction,
    slinkId: number,
    accountId: number,
    serviceId: number,
    l: DialupLinkDef,
  ): Promise<void> {
    const p = await trx('dialup_services').where({ service_id: serviceId }).first('login_prefix', 'is_dynamic');
    if (p?.is_dynamic) {
      const other = await trx('service_links')
        .join('dialup_services', 'dialup_services.service_id', 'service_links.service_id')
        .where({
          'service_links.account_id': accountId,
          'service_links.is_deleted': false,
          'dialup_services.is_dynamic': true,
        })
        .whereNot('service_links.id', slinkId)
        .first('service_links.id as id');
      if (other)
        throw bad(
          `account ${accountId} already has link ${other.id} of a dial-up/hotspot service with dynamic IP addresses (one is allowed)`,
        );
    }
    await this.setDialupLink(trx, slinkId, { ...l, login: `${String(p?.login_prefix ?? '')}${l.login}` });
  }

  /** The dial-up/hotspot link in force (other than `exceptSlink`) whose login this is (compared lower-cased), or undefined. */
  async loginOwner(k: Knex | Knex.Transaction, login: string, exceptSlink = 0): Promise<number | undefined> {
    const row = await k('dialup_links')
      .join('service_links', 'service_links.id', 'dialup_links.slink_id')
      .where({ 'dialup_links.login': login.toLowerCase(), 'service_links.is_deleted': false })
      .whereNot('dialup_links.slink_id', exceptSlink)
      .first('dialup_links.slink_id as s');
    return row ? Number(row.s) : undefined;
  }

  async setDialupLink(trx: Knex.Transaction, slinkId: number, l: DialupLinkDef): Promise<void> {
    const login = l.login.toLowerCase();
    if (!login || login.includes(':'))
      throw bad(
        `link ${slinkId}: login '${l.login}' must be non-empty and without ':' (the callback prefix separator)`,
      );
    const clash = await this.loginOwner(trx, login, slinkId);
    if (clash !== undefined) throw bad(`login '${login}' already belongs to service link ${clash}`);
    for (const [name, re] of [
      ['allowed CID', l.allowedCid],
      ['allowed CSID', l.allowedCsid],
    ] as const) {
      try {
        if (re) new RegExp(re);
      } catch {
        throw bad(`link ${slinkId}: ${name} '${re}' is not a regular expression`);
      }
    }
    await trx('dialup_links').where({ slink_id: slinkId }).delete();
    await trx('dialup_links').insert({
      slink_id: slinkId,
      login,
      password: this.secrets.seal(l.password),
      allowed_cid: l.allowedCid ?? '',
      allowed_csid: l.allowedCsid ?? '',
      callback_allowed: l.callbackAllowed ?? false,
      ringdown_allowed: l.ringdownAllowed ?? true,
      callback_number: l.callbackNumber ?? '',
    });
    this.changed();
  }

  async setLimit(level: LimitLevel, refId: number, max: number): Promise<void> {
    if (!['dealer', 'user', 'account', 'service'].includes(level))
      throw bad(`capacity level '${level}' must be dealer, user, account or service`);
    await this.db.knex('session_limits').where({ level, ref_id: refId }).delete();
    if (max > 0) await this.db.knex('session_limits').insert({ level, ref_id: refId, max_sessions: max });
    this.changed();
  }

  // ---- what utm5_radius gets ----

  async nasItems(): Promise<NasWire[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('nas').where({ is_deleted: false }).orderBy('id');
    const attrs: Record<string, unknown>[] = await this.db.knex('radius_attrs').where({ owner: 'nas' }).orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      name: String(r['name']),
      ip: String(r['ip']),
      secret: this.secrets.open(String(r['secret'])),
      daePort: Number(r['dae_port']),
      daeSecret: r['dae_secret'] ? this.secrets.open(String(r['dae_secret'])) : this.secrets.open(String(r['secret'])),
      coa: Boolean(r['coa_enabled']),
      attrs: attrs.filter((a) => Number(a['owner_id']) === Number(r['id'])).map(attrRow),
    }));
  }

  async loginItems(): Promise<LoginWire[]> {
    const k = this.db.knex;
    const attrs: Record<string, unknown>[] = await k('radius_attrs')
      .whereIn('owner', ['service', 'slink'])
      .orderBy('id');
    const attrsOf = (serviceId: number, slinkId: number) => [
      ...attrs.filter((a) => a['owner'] === 'service' && Number(a['owner_id']) === serviceId).map(attrRow),
      ...attrs.filter((a) => a['owner'] === 'slink' && Number(a['owner_id']) === slinkId).map(attrRow),
    ];
    const ipRows: Record<string, unknown>[] = await k('ip_groups')
      .join('service_links', 'service_links.id', 'ip_groups.slink_id')
      .where({ 'ip_groups.is_deleted': false, 'service_links.is_deleted': false })
      .whereNot('ip_groups.login', '')
      .select('ip_groups.*', 'service_links.account_id', 'service_links.service_id');
    const dialRows: Record<string, unknown>[] = await k('dialup_links')
      .join('service_links', 'service_links.id', 'dialup_links.slink_id')
      .join('services', 'services.id', 'service_links.service_id')
      .leftJoin('dialup_services', 'dialup_services.service_id', 'service_links.service_id')
      .where({ 'service_links.is_deleted': false })
      .select(
        'dialup_links.*',
        'service_links.account_id',
        'service_links.service_id',
        'services.service_type',
        'dialup_services.pool_name',
        'dialup_services.max_sessions',
        'dialup_services.max_timeout',
      );
    const nets = await hotspotNetworks(k);
    const netsOf = (serviceId: number) =>
      nets.filter((n) => n.serviceId === serviceId).map((n) => ({ ip: n.ip, mask: n.mask }));
    const ipSvc: Record<string, unknown>[] = await k('iptraffic_services').select('service_id', 'sessions_limit');
    const ipLimit = new Map(ipSvc.map((r) => [Number(r['service_id']), Number(r['sessions_limit'])]));
    return [
      ...ipRows.map((r): LoginWire => ({
        login: String(r['login']).toLowerCase(),
        kind: 'iptraffic',
        slinkId: Number(r['slink_id']),
        accountId: Number(r['account_id']),
        serviceId: Number(r['service_id']),
        password: String(r['password']),
        allowedCid: String(r['allowed_cid']),
        allowedCsid: '',
        callbackAllowed: false,
        ringdownAllowed: true,
        callbackNumber: '',
        ip: String(r['ip']),
        mask: Number(r['mask']),
        poolName: String(r['pool_name']),
        maxSessions: ipLimit.get(Number(r['service_id'])) ?? 0,
        attrs: attrsOf(Number(r['service_id']), Number(r['slink_id'])),
      })),
      ...dialRows.map((r): LoginWire => ({
        login: String(r['login']),
        kind: Number(r['service_type']) === ServiceType.HOTSPOT ? 'hotspot' : 'dialup',
        slinkId: Number(r['slink_id']),
        accountId: Number(r['account_id']),
        serviceId: Number(r['service_id']),
        password: this.secrets.open(String(r['password'])),
        allowedCid: String(r['allowed_cid']),
        allowedCsid: String(r['allowed_csid']),
        callbackAllowed: Boolean(r['callback_allowed']),
        ringdownAllowed: Boolean(r['ringdown_allowed']),
        callbackNumber: String(r['callback_number']),
        ip: '',
        mask: 0,
        poolName: String(r['pool_name'] ?? ''),
        maxSessions: Number(r['max_sessions'] ?? 0),
        maxTimeout: Number(r['max_timeout'] ?? 0),
        ...(Number(r['service_type']) === ServiceType.HOTSPOT ? { allowedNets: netsOf(Number(r['service_id'])) } : {}),
        attrs: attrsOf(Number(r['service_id']), Number(r['slink_id'])),
      })),
    ];
  }

  /** The accounts as utm5_radius sees them; `ids`: only those (telephony reads the accounts it authorizes). */
  async accountItems(ids?: readonly number[]): Promise<AccountWire[]> {
    const q = this.db
      .knex('accounts')
      .join('users', 'users.id', 'accounts.user_id')
      .where({ 'accounts.is_deleted': false });
    if (ids) q.whereIn('accounts.id', ids);
    const rows: Record<string, unknown>[] = await q.select(
      'accounts.id',
      'accounts.user_id',
      'users.dealer_id',
      'accounts.block_type',
      'accounts.int_status',
      'accounts.unlimited',
      'accounts.balance',
      'accounts.credit',
    );
    return rows.map((r) => ({
      id: Number(r['id']),
      userId: Number(r['user_id']),
      dealerId: Number(r['dealer_id'] ?? 0),
      blockType: Number(r['block_type']),
      intStatus: Boolean(r['int_status']),
      unlimited: Boolean(r['unlimited']),
      balance: Number(r['balance']),
      credit: Number(r['credit']),
    }));
  }

  async limitItems(): Promise<LimitWire[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('session_limits');
    return rows.map((r) => ({
      level: String(r['level']) as LimitLevel,
      refId: Number(r['ref_id']),
      max: Number(r['max_sessions']),
    }));
  }

  async priceItems(tz: string): Promise<PriceWire[]> {
    const k = this.db.knex;
    const prices: Record<string, unknown>[] = await k('service_time_prices').orderBy(['service_id', 'range_id']);
    const ranges = new Map<number, PriceWire['ranges'][number] & object>();
    const out = new Map<number, PriceWire['ranges'][number][]>();
    for (const p of prices) {
      const rid = Number(p['range_id']);
      let r = ranges.get(rid);
      if (!r) {
        r = { ...(await loadTimeRange(k, rid)), pricePerHour: 0 };
        ranges.set(rid, r);
      }
      const sid = Number(p['service_id']);
      (out.get(sid) ?? out.set(sid, []).get(sid)!).push({ ...r, pricePerHour: Number(p['price_per_hour']) });
    }
    return [...out].map(([serviceId, rs]) => ({ serviceId, tz, ranges: rs }));
  }

  // ---- read back and edit (the URFA functions) ----

  /** Every registered NAS as stored: secrets opened, daeSecret '' when the NAS secret serves DM/CoA too, attributes in order. */
  async nasEntries(): Promise<(Required<NasDef> & { id: number; attrs: RadiusAttrWire[] })[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('nas').where({ is_deleted: false }).orderBy('id');
    const attrs: Record<string, unknown>[] = await this.db.knex('radius_attrs').where({ owner: 'nas' }).orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      name: String(r['name']),
      ip: String(r['ip']),
      secret: this.secrets.open(String(r['secret'])),
      daePort: Number(r['dae_port']),
      daeSecret: r['dae_secret'] ? this.secrets.open(String(r['dae_secret'])) : '',
      coa: Boolean(r['coa_enabled']),
      comment: String(r['comment']),
      attrs: attrs.filter((a) => Number(a['owner_id']) === Number(r['id'])).map(attrRow),
    }));
  }

  /**
   * Adds (id 0) or edits a NAS together with its attributes, in one transaction so a refusal changes nothing.
   * Returns the NAS id.
   */
  async putNas(id: number, n: NasDef, attrs: readonly RadiusAttrWire[]): Promise<number> {
    this.checkNas(n);
    const saved = await this.db.tx(async (trx) => {
      if (id !== 0 && !(await trx('nas').where({ id, is_deleted: false }).first('id'))) throw bad(`no NAS ${id}`);
      const clash = await trx('nas').where({ ip: n.ip, is_deleted: false }).whereNot({ id }).first('id');
      if (clash) throw bad(`a NAS with address ${n.ip} is registered (NAS ${clash.id})`);
      const row = {
        name: n.name,
        ip: n.ip,
        secret: this.secrets.seal(n.secret),
        dae_port: n.daePort ?? 3799,
        dae_secret: n.daeSecret ? this.secrets.seal(n.daeSecret) : '',
        coa_enabled: n.coa ?? false,
        comment: n.comment ?? '',
      };
      const nasId = id === 0 ? Number((await trx('nas').insert(row))[0]) : id;
      if (id !== 0) await trx('nas').where({ id }).update(row);
      await trx('radius_attrs').where({ owner: 'nas', owner_id: nasId }).delete();
      for (const a of attrs)
        await trx('radius_attrs').insert({
          owner: 'nas',
          owner_id: nasId,
          vendor: a.vendor,
          attr: a.attr,
          tag: a.tag,
          value: a.value,
          action: a.action,
        });
      return nasId;
    });
    this.changed();
    return saved;
  }

  async attrs(owner: 'nas' | 'service' | 'slink', ownerId: number): Promise<RadiusAttrWire[]> {
    return (
      (await this.db.knex('radius_attrs').where({ owner, owner_id: ownerId }).orderBy('id')) as Record<
        string,
        unknown
      >[]
    ).map(attrRow);
  }

  /** The dial-up/hotspot part of a service (prices in range id order), or undefined when it has none. */
  async dialupParams(
    serviceId: number,
  ): Promise<(Required<TimeServiceParams> & { prices: { rangeId: number; pricePerHour: number }[] }) | undefined> {
    const r = await this.db.knex('dialup_services').where({ service_id: serviceId }).first();
    if (!r) return undefined;
    const prices: Record<string, unknown>[] = await this.db
      .knex('service_time_prices')
      .where({ service_id: serviceId })
      .orderBy('range_id');
    return {
      poolName: String(r.pool_name),
      maxSessions: Number(r.max_sessions),
      isDynamic: Boolean(r.is_dynamic),
      maxTimeout: Number(r.max_timeout),
      loginPrefix: String(r.login_prefix),
      prices: prices.map((p) => ({ rangeId: Number(p['range_id']), pricePerHour: Number(p['price_per_hour']) })),
    };
  }

  /**
   * A service link in force (not deleted), of any service type, or undefined: RADIUS attributes may be set on any,
   * and a dial-up/hotspot link is read back with its login.
   */
  async serviceLink(slinkId: number): Promise<SLink | undefined> {
    const r = await this.db.knex('service_links').where({ id: slinkId, is_deleted: false }).first();
    return r ? toSLink(r) : undefined;
  }

  /** A dial-up/hotspot link's login as stored (lower-cased) with its password opened, or undefined. */
  async dialupLink(slinkId: number): Promise<Required<DialupLinkDef> | undefined> {
    const r = await this.db.knex('dialup_links').where({ slink_id: slinkId }).first();
    return (
      r && {
        login: String(r.login),
        password: this.secrets.open(String(r.password)),
        allowedCid: String(r.allowed_cid),
        allowedCsid: String(r.allowed_csid),
        callbackAllowed: Boolean(r.callback_allowed),
        ringdownAllowed: Boolean(r.ringdown_allowed),
        callbackNumber: String(r.callback_number),
      }
    );
  }
}
