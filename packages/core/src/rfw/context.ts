import { moneyToDouble, type SecretBox } from '@utm5/common';
import type { Knex } from '@utm5/db';
import { SHAPING_VARIABLE_VALUES } from '@utm5/protocol';
import type { BillingEvent } from '../events/billing-events';
import { ServiceType } from '../tariffication/model';
import type { ScopeFacts } from './applicability';

/** One command's variables: a rule renders once per item (per IP group for Internet and bandwidth events). */
export interface RenderItem {
  readonly values: ReadonlyMap<string, string>;
  /** Commands with the same key run in order on the rfw: the customer's IP, else 'a<account id>'. */
  readonly orderKey: string;
}

export interface EventContext {
  /** Who the event is about (undefined: nobody, e.g. a file closed). */
  readonly facts: ScopeFacts | undefined;
  readonly items: readonly RenderItem[];
}

export interface ContextDeps {
  readonly secrets: SecretBox;
  /** The system parameter fw_rule_id_offset ("Minimal value of RULE_ID"). */
  readonly ruleIdOffset: () => number;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const positive = (v: unknown): string => (Number(v) > 0 ? String(v) : '');

/** A dotted IPv4 mask of `bits`, and its inverse (Cisco's wildcard). */
function masks(bits: number): { mask: string; invert: string } {
  const m = bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  const dot = (x: number) => [24, 16, 8, 0].map((s) => (x >>> s) & 255).join('.');
  return { mask: dot(m), invert: dot(~m >>> 0) };
}

/** DIALUP_FLAGS as the manual gives it: 0 ringdown allowed, 3 callback allowed, 1 both. */
function dialupFlags(d: Row): string {
  const cb = Boolean(Number(d['callback_allowed']));
  const rd = Boolean(Number(d['ringdown_allowed']));
  return cb && rd ? '1' : cb ? '3' : rd ? '0' : '';
}

/** The variables of one IP group (UIP, UMASK, ... and the switch fields). */
function ipGroupValues(g: Row): [string, string][] {
  const ip = str(g['ip']);
  const bits = Number(g['mask']);
  const v4 = !ip.includes(':');
  const m = v4 ? masks(bits) : { mask: '', invert: '' };
  return [
    ['UIP', ip],
    ['UBITS', String(bits)],
    ['UMASK', m.mask],
    ['UINVERTMASK', m.invert],
    ['MAC', str(g['mac'])],
    ['ULOGIN', str(g['login'])],
    ['IP_GROUP_ID', str(g['id'])],
    ['USW_ID', positive(g['switch_id'])],
    ['USW_PORT', positive(g['port_id'])],
    ['UVLAN', positive(g['vlan_id'])],
  ];
}

/** The facts the variables need, read in the event's transaction: a few batched queries per event, never one per variable. */
export class ContextReader {
  constructor(private readonly d: ContextDeps) {}

  async read(trx: Knex.Transaction, ev: BillingEvent): Promise<EventContext> {
    const accountId = 'accountId' in ev ? ev.accountId : 0;
    let userId = 'userId' in ev ? ev.userId : 0;
    const base = new Map<string, string>();
    let account: Row | undefined;
    if (accountId > 0) {
      account = await trx('accounts').where({ id: accountId }).first();
      if (account) userId = Number(account['user_id']);
    }
    let facts: ScopeFacts | undefined;
    if (userId > 0) facts = await this.user(trx, userId, accountId, base);
    if (account) {
      base.set('ACCOUNT_ID', String(accountId));
      base.set('EXTERNAL_ID', str(account['external_id']));
    }
    const orderKey = accountId > 0 ? `a${accountId}` : userId > 0 ? `u${userId}` : 'core';
    const one = (extra: [string, string][] = []): EventContext => ({
      facts,
      items: [{ values: new Map([...base, ...extra]), orderKey }],
    });
    switch (ev.kind) {
      case 'internet':
        return { facts, items: this.perGroup(base, await this.accountIpGroups(trx, accountId)) };
      case 'bandwidth': {
        const inK = ev.dir === 'in' ? ev.kbit : ev.otherKbit;
        const outK = ev.dir === 'out' ? ev.kbit : ev.otherKbit;
        const bw: [string, string][] = [
          ['BANDWIDTH', String(ev.kbit)],
          ['SLINK_ID', String(ev.slinkId)],
        ];
        for (const [n, f] of Object.entries(SHAPING_VARIABLE_VALUES))
          bw.push([`IN_${n}`, String(f(inK))], [`OUT_${n}`, String(f(outK))]);
        const groups = await trx('ip_groups')
          .where({ slink_id: ev.slinkId, is_deleted: false, is_skip_rfw: false })
          .orderBy('id');
        return { facts, items: this.perGroup(new Map([...base, ...bw]), groups) };
      }
      case 'block':
        return one([['BLOCK_TYPE', String(ev.blockType)], ...(await this.accountLists(trx, accountId))]);
      case 'balance':
        return one([['BALANCE', String(moneyToDouble(ev.balance))]]);
      case 'session':
        return one([
          ['SLINK_ID', String(ev.slinkId)],
          ['SERVICE_ID', String(ev.serviceId)],
          ['SERVICE_TYPE', String(ev.serviceType)],
          ['NAS_ID', ev.nasId],
          ['NAS_IP', ev.nasIp],
          ['SESSION_ID', ev.sessionId],
          ['ACCT_STATUS_TYPE', ev.op === 'open' ? '1' : '2'],
          ['CALLING_SID', ev.callingSid],
          ['CALLED_SID', ev.calledSid],
          ['FRAMED_IP', ev.framedIp],
        ]);
      case 'link':
        return one(await this.linkValues(trx, ev.slinkId, ev.serviceType));
      case 'tech_param': {
        const link = await trx('service_links').where({ id: ev.slinkId }).first('service_id');
        return one([
          ['SLINK_ID', String(ev.slinkId)],
          ['SERVICE_ID', str(link?.service_id)],
          ['SERVICE_TYPE', String(ev.serviceType)],
          ['TECH_PARAM_TYPE', String(ev.typeId)],
          ['TECH_PARAM_T_ID', String(ev.typeId)],
          ['TECH_PARAM_ID', String(ev.id)],
          ['TECH_PARAM_VALUE', ev.value],
          ['TECH_PARAM_PASS', ev.password],
        ]);
      }
      case 'invoice':
        return one();
      case 'dhcp_lease':
        return one([
          ['SLINK_ID', String(ev.slinkId)],
          ['IP', ev.ip],
          ['MAC', ev.mac],
        ]);
      case 'raw_file_closed':
      case 'log_file_closed':
        return one([['PATH', ev.path]]);
      case 'payment':
        return one([
          ['PAYMENT_AMOUNT', String(moneyToDouble(ev.amount))],
          ['PAYMENT_TYPE', String(ev.method)],
        ]);
      case 'user_log':
        return one([
          ['ACTION', ev.action],
          ['COMMENTS', ev.comments],
          ['WHO', ev.who],
        ]);
      case 'user':
        return one();
    }
  }

  /** The user's variables into `base`; the scope facts (groups, the current tariffs of the user's accounts). */
  private async user(
    trx: Knex.Transaction,
    userId: number,
    accountId: number,
    base: Map<string, string>,
  ): Promise<ScopeFacts> {
    const [u, groups, tlinks] = await Promise.all([
      trx('users').where({ id: userId }).first(),
      trx('user_group_members').where({ user_id: userId }).orderBy('group_id').select('group_id'),
      trx('tariff_links')
        .where({ is_deleted: false })
        .where((q) => (accountId > 0 ? q.where({ account_id: accountId }) : q.where({ user_id: userId })))
        .select('tariff_current'),
    ]);
    const groupIds = groups.map((g: Row) => Number(g['group_id']));
    base.set('UID', String(userId));
    base.set('UGROUP', groupIds.join(';'));
    base.set('RULE_ID', String(userId + this.d.ruleIdOffset()));
    if (u) {
      base.set('LOGIN', str(u['login']));
      base.set('EMAIL', str(u['email']));
      base.set('FULL_NAME', str(u['full_name']));
      base.set('MOBILE_PHONE', str(u['mob_tel']));
      base.set('WORK_PHONE', str(u['work_tel']));
      base.set('HOME_PHONE', str(u['home_tel']));
      base.set('SWITCH_IP', positive(u['switch_id']));
      base.set('SWITCH_PORT', positive(u['port_number']));
      if (accountId <= 0 && Number(u['basic_account']) > 0) base.set('ACCOUNT_ID', String(u['basic_account']));
    }
    return {
      userId,
      groupIds: new Set(groupIds),
      tariffIds: new Set(tlinks.map((t: Row) => Number(t['tariff_current']))),
    };
  }

  private perGroup(base: ReadonlyMap<string, string>, groups: readonly Row[]): RenderItem[] {
    return groups.map((g) => ({
      values: new Map([...base, ['SLINK_ID', str(g['slink_id'])], ...ipGroupValues(g)]),
      orderKey: str(g['ip']),
    }));
  }

  /** Every IP group (not skipped for rfw) of every live IP traffic link of the account. */
  private accountIpGroups(trx: Knex.Transaction, accountId: number): Promise<Row[]> {
    return trx('ip_groups as g')
      .join('service_links as l', 'l.id', 'g.slink_id')
      .join('services as s', 's.id', 'l.service_id')
      .where({
        'l.account_id': accountId,
        'l.is_deleted': false,
        'g.is_deleted': false,
        'g.is_skip_rfw': false,
        's.service_type': ServiceType.IPTRAFFIC,
      })
      .orderBy('g.id')
      .select('g.*');
  }

  /** SLINK_LIST, DIALUP_LIST, IP_GROUP_LIST and TEL_LIST of an account (the block event's variables). */
  private async accountLists(trx: Knex.Transaction, accountId: number): Promise<[string, string][]> {
    const links: Row[] = await trx('service_links')
      .where({ account_id: accountId, is_deleted: false })
      .orderBy('id')
      .select('id');
    const ids = links.map((l) => Number(l['id']));
    const [dialup, groups, tels] = await Promise.all([
      trx('dialup_links').whereIn('slink_id', ids).orderBy('slink_id'),
      this.ipGroupList(trx, ids),
      this.telList(trx, ids),
    ]);
    return [
      ['SLINK_LIST', ids.join(';')],
      ['DIALUP_LIST', dialup.map((d: Row) => this.dialupEntry(d)).join(';')],
      ['IP_GROUP_LIST', groups],
      ['TEL_LIST', tels],
    ];
  }

  private async linkValues(trx: Knex.Transaction, slinkId: number, serviceType: number): Promise<[string, string][]> {
    const l: Row | undefined = await trx('service_links').where({ id: slinkId }).first();
    const out: [string, string][] = [['SLINK_ID', String(slinkId)]];
    if (!l) return out;
    out.push(
      ['SERVICE_ID', str(l['service_id'])],
      ['TARIFF_LINK_ID', str(l['tariff_link_id'])],
      ['DISCOUNT_PERIOD_ID', str(l['discount_period_id'])],
      ['START_DATE', str(l['start_date'])],
      ['END_DATE', str(l['expire_date'])],
    );
    if (serviceType === ServiceType.DIALUP) {
      const d: Row | undefined = await trx('dialup_links').where({ slink_id: slinkId }).first();
      if (d) {
        out.push(
          ['ULOGIN', str(d['login'])],
          ['UPASS', this.unseal(d['password'])],
          ['UCID', str(d['allowed_cid'])],
          ['UCSID', str(d['allowed_csid'])],
          ['DIALUP_FLAGS', dialupFlags(d)],
        );
      }
    } else if (serviceType === ServiceType.IPTRAFFIC) {
      const first: Row | undefined = await trx('ip_groups')
        .where({ slink_id: slinkId, is_deleted: false })
        .orderBy('id')
        .first('id');
      out.push(['IP_GROUP_ID', str(first?.['id'])], ['IP_GROUP_LIST', await this.ipGroupList(trx, [slinkId])]);
    } else if (serviceType === ServiceType.TELEPHONY) {
      out.push(['TEL_LIST', await this.telList(trx, [slinkId])]);
    }
    return out;
  }

  private async ipGroupList(trx: Knex.Transaction, slinkIds: readonly number[]): Promise<string> {
    if (slinkIds.length === 0) return '';
    const rows: Row[] = await trx('ip_groups as g')
      .leftJoin('netflow_providers as p', 'p.id', 'g.router_id')
      .whereIn('g.slink_id', slinkIds)
      .where({ 'g.is_deleted': false })
      .orderBy('g.id')
      .select('g.ip', 'g.mask', 'g.login', 'g.password', 'g.mac', 'p.ip as provider');
    return rows
      .map((g) => [g['ip'], g['mask'], g['login'], g['password'], g['mac'], g['provider']].map(str).join('/'))
      .join(';');
  }

  private async telList(trx: Knex.Transaction, slinkIds: readonly number[]): Promise<string> {
    if (slinkIds.length === 0) return '';
    const rows: Row[] = await trx('tel_numbers').whereIn('slink_id', slinkIds).orderBy('id');
    return rows
      .map((n) =>
        [
          str(n['number']),
          str(n['login']),
          str(n['allowed_cid']),
          str(n['incoming_trunk']),
          str(n['outgoing_trunk']),
          str(n['pbx_id']),
          this.unseal(n['password']),
        ].join('/'),
      )
      .join(';');
  }

  private dialupEntry(d: Row): string {
    return [
      str(d['slink_id']),
      str(d['login']),
      this.unseal(d['password']),
      str(d['allowed_cid']),
      str(d['allowed_csid']),
      dialupFlags(d),
    ].join('/');
  }

  /** A sealed password as text ('' when empty or sealed with another key: a command is still better than none). */
  private unseal(v: unknown): string {
    const s = str(v);
    if (!s) return '';
    try {
      return this.d.secrets.open(s);
    } catch {
      return '';
    }
  }
}
