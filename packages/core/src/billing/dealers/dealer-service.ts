import type { Clock, SecretBox, Service } from '@utm5/common';
import { inSubnet, normalizeIp } from '@utm5/common';
import type { Database } from '@utm5/db';
import { audit, UserAction, type Actor } from '../audit';
import { BillingError } from '../billing-error';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';

export const DEALER_TEXT_FIELDS = [
  'full_name',
  'act_address',
  'passport',
  'work_tel',
  'home_tel',
  'mob_tel',
  'web_page',
  'icq_number',
  'email',
  'comments',
] as const;

export interface DealerInput {
  readonly login: string;
  readonly password: string;
  readonly ip4: string;
  readonly mask4: number;
  readonly ip6: string;
  readonly mask6: number;
  readonly fields: Readonly<Record<(typeof DEALER_TEXT_FIELDS)[number], string>>;
  readonly groups: readonly number[];
}

export interface DealerRecord extends DealerInput {
  readonly id: number;
  readonly whoCreate: number;
  readonly whoChange: number;
  readonly createDate: number;
  readonly changeDate: number;
}

interface Entry {
  id: number;
  passwordEnc: string;
  ip4: string;
  mask4: number;
  ip6: string;
  mask6: number;
}

/**
 * Dealers (resellers): their own logins with allowed subnets; the users they create are theirs, and they may only
 * call dealer functions on their own users.
 */
export class DealerService implements Service {
  readonly name = 'dealers';
  private byLogin = new Map<string, Entry>();

  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly bus: EventSink = NO_LISTENERS,
  ) {}

  async start(): Promise<void> {
    const rows: Record<string, unknown>[] = await this.db.knex('dealers').where({ is_deleted: false });
    this.byLogin = new Map(
      rows.map((r) => [
        String(r['login']),
        {
          id: Number(r['id']),
          passwordEnc: String(r['password_enc']),
          ip4: String(r['ip4']),
          mask4: Number(r['mask4']),
          ip6: String(r['ip6']),
          mask6: Number(r['mask6']),
        },
      ]),
    );
  }

  async stop(): Promise<void> {}

  /** The dealer this login names, if the address is within its subnets, with the clear password. */
  credentials(login: string, ip: string): { id: number; password: string } | { refused: string } | undefined {
    const e = this.byLogin.get(login);
    if (!e) return undefined;
    const addr = normalizeIp(ip);
    const ok = addr.includes(':') ? inSubnet(addr, e.ip6, e.mask6) : inSubnet(addr, e.ip4, e.mask4);
    if (!ok) return { refused: `dealer '${login}' may not log in from ${ip}` };
    return { id: e.id, password: this.secrets.open(e.passwordEnc) };
  }

  async owns(dealerId: number, userId: number): Promise<boolean> {
    const u = await this.db.knex('users').where({ id: userId, is_deleted: false }).first('dealer_id');
    return u !== undefined && Number(u.dealer_id) === dealerId;
  }

  async ownsAccount(dealerId: number, accountId: number): Promise<boolean> {
    const a = await this.db
      .knex('accounts as a')
      .join('users as u', 'u.id', 'a.user_id')
      .where({ 'a.id': accountId, 'a.is_deleted': false })
      .first('u.dealer_id');
    return a !== undefined && Number(a.dealer_id) === dealerId;
  }

  private check(d: DealerInput, exceptId?: number): void {
    // eslint-disable-next-line no-control-regex -- control characters are what a login may not hold
    if (!/^[^\s\x00-\x1f]{1,64}$/.test(d.login))
      throw new BillingError('UTM_BAD_INPUT', `dealer login '${d.login}' must be 1-64 characters without spaces`);
    const e = this.byLogin.get(d.login);
    if (e && e.id !== exceptId) throw new BillingError('UTM_LOGIN_TAKEN', `dealer login '${d.login}' is taken`);
    if (d.mask4 < 0 || d.mask4 > 32 || d.mask6 < 0 || d.mask6 > 128)
      throw new BillingError('UTM_BAD_INPUT', 'mask4 must be 0..32 and mask6 0..128');
  }

  async add(actor: Actor, d: DealerInput): Promise<number> {
    this.check(d);
    const now = this.clock.now();
    const enc = this.secrets.seal(d.password);
    const id = await this.db.tx(async (trx) => {
      const [x] = await trx('dealers').insert({
        login: d.login,
        password_enc: enc,
        ip4: d.ip4,
        mask4: d.mask4,
        ip6: d.ip6,
        mask6: d.mask6,
        ...d.fields,
        who_create: actor.id,
        who_change: actor.id,
        create_date: now,
        change_date: now,
      });
      const dealerId = Number(x);
      for (const g of new Set(d.groups)) await trx('dealer_groups').insert({ dealer_id: dealerId, group_id: g });
      await audit(
        trx,
        actor,
        UserAction.SETTINGS,
        'dealer_add',
        `dealer ${dealerId} '${d.login}' added`,
        {},
        now,
        this.bus,
      );
      return dealerId;
    });
    this.byLogin.set(d.login, { id, passwordEnc: enc, ip4: d.ip4, mask4: d.mask4, ip6: d.ip6, mask6: d.mask6 });
    return id;
  }

  async edit(actor: Actor, id: number, d: DealerInput): Promise<void> {
    const cur = await this.get(id);
    if (!cur) throw new BillingError('UTM_BAD_INPUT', `no dealer ${id}`);
    this.check(d, id);
    const now = this.clock.now();
    const old = this.byLogin.get(cur.login)!;
    const enc = d.password === '' ? old.passwordEnc : this.secrets.seal(d.password);
    await this.db.tx(async (trx) => {
      await trx('dealers')
        .where({ id })
        .update({
          login: d.login,
          password_enc: enc,
          ip4: d.ip4,
          mask4: d.mask4,
          ip6: d.ip6,
          mask6: d.mask6,
          ...d.fields,
          who_change: actor.id,
          change_date: now,
        });
      await trx('dealer_groups').where({ dealer_id: id }).delete();
      for (const g of new Set(d.groups)) await trx('dealer_groups').insert({ dealer_id: id, group_id: g });
      await audit(trx, actor, UserAction.SETTINGS, 'dealer_change', `dealer ${id} changed`, {}, now, this.bus);
    });
    this.byLogin.delete(cur.login);
    this.byLogin.set(d.login, { id, passwordEnc: enc, ip4: d.ip4, mask4: d.mask4, ip6: d.ip6, mask6: d.mask6 });
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const cur = await this.get(id);
    if (!cur) throw new BillingError('UTM_BAD_INPUT', `no dealer ${id}`);
    const users = await this.db.knex('users').where({ dealer_id: id, is_deleted: false }).first('id');
    if (users)
      throw new BillingError(
        'UTM_IN_USE',
        `dealer ${id} still has users (user ${users.id}); move or remove them first`,
      );
    await this.db.tx(async (trx) => {
      await trx('dealers').where({ id }).update({ is_deleted: true });
      await audit(
        trx,
        actor,
        UserAction.SETTINGS,
        'dealer_remove',
        `dealer ${id} '${cur.login}' removed`,
        {},
        this.clock.now(),
        this.bus,
      );
    });
    this.byLogin.delete(cur.login);
  }

  async get(id: number): Promise<DealerRecord | undefined> {
    const r = await this.db.knex('dealers').where({ id, is_deleted: false }).first();
    if (!r) return undefined;
    const groups = (await this.db.knex('dealer_groups').where({ dealer_id: id }).select('group_id')).map(
      (g: { group_id: number }) => Number(g.group_id),
    );
    const fields = Object.fromEntries(DEALER_TEXT_FIELDS.map((f) => [f, String(r[f] ?? '')])) as DealerInput['fields'];
    return {
      id: Number(r.id),
      login: String(r.login),
      password: this.secrets.open(String(r.password_enc)),
      ip4: String(r.ip4),
      mask4: Number(r.mask4),
      ip6: String(r.ip6),
      mask6: Number(r.mask6),
      fields,
      groups,
      whoCreate: Number(r.who_create),
      whoChange: Number(r.who_change),
      createDate: Number(r.create_date),
      changeDate: Number(r.change_date),
    };
  }

  async list(): Promise<DealerRecord[]> {
    const ids: { id: number }[] = await this.db.knex('dealers').where({ is_deleted: false }).orderBy('id').select('id');
    return (await Promise.all(ids.map((r) => this.get(Number(r.id))))).filter(
      (d): d is DealerRecord => d !== undefined,
    );
  }
}
