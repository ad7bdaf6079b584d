// Over ~400 lines: one owner for users, their credentials, parameters and contacts, which share the user lock and
// audit.
import type { Clock, SecretBox, Service } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';
import { audit, UserAction, type Actor } from '../audit';
import { BillingError } from '../billing-error';
import type { AccountService, NewAccount } from '../accounts/account-service';
import { UserContactsRepo, type NewUserContact, type UserContact } from './user-contacts-repo';
import { UserParamsRepo, type UserParamDef } from './user-params-repo';
import { profileColumns, toUserRecord, type UserProfile, type UserRecord } from './user-profile';

interface LoginEntry {
  id: number;
  passwordEnc: string;
  dealerId: number | null;
}

export interface NewUser {
  readonly login: string;
  readonly password: string;
  readonly profile: UserProfile;
  readonly params: readonly { id: number; value: string }[];
  readonly groups: readonly number[];
  readonly account: NewAccount;
  readonly dealerId?: number | null;
  readonly isCardUser?: boolean;
}

/** A row of rpcf_search_users_lite. */
export interface UserSearchHit {
  readonly id: number;
  readonly login: string;
  readonly email: string;
  readonly fullName: string;
}

// eslint-disable-next-line no-control-regex -- control characters are what a login may not hold
const LOGIN_RE = /^[^\s\x00-\x1f]{1,128}$/;

/**
 * Customers: profiles, additional parameters, groups and contacts, written through to the database, with the logins
 * and passwords held in memory so a URFA or RADIUS login needs no query.
 */
export class UserService implements Service {
  readonly name = 'users';
  private byLogin = new Map<string, LoginEntry>();
  private readonly contactRows: UserContactsRepo;
  private readonly paramRows: UserParamsRepo;

  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly events: EventSink = NO_LISTENERS,
  ) {
    this.contactRows = new UserContactsRepo(db);
    this.paramRows = new UserParamsRepo(db);
  }

  async start(): Promise<void> {
    const rows: { id: number; login: string; password_enc: string; dealer_id: number | null }[] = await this.db
      .knex('users')
      .where({ is_deleted: false })
      .select('id', 'login', 'password_enc', 'dealer_id');
    this.byLogin = new Map(
      rows.map((r) => [
        r.login,
        { id: Number(r.id), passwordEnc: r.password_enc, dealerId: r.dealer_id === null ? null : Number(r.dealer_id) },
      ]),
    );
  }

  async stop(): Promise<void> {}

  /** The customer this login names, with the clear password (for CHAP), or undefined. */
  credentials(login: string): { id: number; password: string; dealerId: number | null } | undefined {
    const e = this.byLogin.get(login);
    return e && { id: e.id, password: this.secrets.open(e.passwordEnc), dealerId: e.dealerId };
  }

  loginOf(id: number): string | undefined {
    for (const [login, e] of this.byLogin) if (e.id === id) return login;
    return undefined;
  }

  async get(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<UserRecord | undefined> {
    const r = await k('users').where({ id, is_deleted: false }).first();
    return r ? toUserRecord(r) : undefined;
  }

  async require(id: number): Promise<UserRecord> {
    const u = await this.get(id);
    if (!u) throw new BillingError('UTM_NO_USER', `no user ${id}`);
    return u;
  }

  password(u: { id: number }): string {
    const login = this.loginOf(u.id);
    const e = login === undefined ? undefined : this.byLogin.get(login);
    return e ? this.secrets.open(e.passwordEnc) : '';
  }

  private checkLogin(login: string, exceptId?: number): void {
    if (!LOGIN_RE.test(login))
      throw new BillingError('UTM_BAD_INPUT', `login '${login}' must be 1-128 characters without spaces`);
    const e = this.byLogin.get(login);
    if (e && e.id !== exceptId) throw new BillingError('UTM_LOGIN_TAKEN', `login '${login}' is taken by user ${e.id}`);
  }

  async add(actor: Actor, u: NewUser): Promise<{ userId: number; accountId: number }> {
    this.checkLogin(u.login);
    const now = this.clock.now();
    const enc = this.secrets.seal(u.password);
    const result = await this.db.tx(async (trx) => {
      const [id] = await trx('users').insert({
        login: u.login,
        password_enc: enc,
        ...profileColumns(u.profile),
        basic_account: 0,
        create_date: now,
        last_change_date: now,
        who_create: actor.id,
        who_change: actor.id,
        dealer_id: u.dealerId ?? null,
        is_card_user: u.isCardUser ?? false,
        is_deleted: false,
      });
      const userId = Number(id);
      const accountId = await this.accounts.create(trx, userId, u.account, actor);
      await trx('users').where({ id: userId }).update({ basic_account: accountId });
      await this.writeParams(trx, userId, u.params);
      await this.writeGroups(trx, userId, u.groups);
      await this.events.emit(trx, { kind: 'user', op: 'add', userId }, now);
      await audit(
        trx,
        actor,
        UserAction.USER_ADDED,
        'user_add',
        `user '${u.login}' added with account ${accountId}`,
        { userId, accountId },
        now,
        this.events,
      );
      return { userId, accountId };
    });
    this.byLogin.set(u.login, { id: result.userId, passwordEnc: enc, dealerId: u.dealerId ?? null });
    return result;
  }

  /** An empty password keeps the current one. */
  async edit(
    actor: Actor,
    id: number,
    login: string,
    password: string,
    profile: UserProfile,
    params: readonly { id: number; value: string }[] | undefined,
  ): Promise<void> {
    const cur = await this.require(id);
    this.checkLogin(login, id);
    const now = this.clock.now();
    const old = this.byLogin.get(cur.login);
    const enc = password === '' ? old!.passwordEnc : this.secrets.seal(password);
    await this.db.tx(async (trx) => {
      await trx('users')
        .where({ id })
        .update({
          login,
          password_enc: enc,
          ...profileColumns(profile),
          last_change_date: now,
          who_change: actor.id,
        });
      if (params) await this.writeParams(trx, id, params);
      // Raised however little changed, as UTM5 does for every save of the user.
      await this.events.emit(trx, { kind: 'user', op: 'edit', userId: id }, now);
      const changed = [...Object.keys(profile)].filter(
        (k) => (cur as unknown as Record<string, unknown>)[k] !== (profile as Record<string, unknown>)[k],
      );
      await audit(
        trx,
        actor,
        UserAction.USER_CHANGED,
        'user_change',
        `user ${id} changed${login !== cur.login ? ` (login '${cur.login}' -> '${login}')` : ''}${password !== '' ? ', password' : ''}` +
          `${changed.length ? `: ${changed.join(', ')}` : ''}`,
        { userId: id },
        now,
        this.events,
      );
    });
    this.byLogin.delete(cur.login);
    this.byLogin.set(login, { id, passwordEnc: enc, dealerId: old?.dealerId ?? null });
  }

  async setPassword(actor: Actor, id: number, password: string): Promise<void> {
    const cur = await this.require(id);
    const enc = this.secrets.seal(password);
    const now = this.clock.now();
    await this.db.tx(async (trx) => {
      await trx('users').where({ id }).update({ password_enc: enc, last_change_date: now, who_change: actor.id });
      await this.events.emit(trx, { kind: 'user', op: 'edit', userId: id }, now);
      await audit(
        trx,
        actor,
        UserAction.USER_CHANGED,
        'password',
        `password of user ${id} changed`,
        { userId: id },
        now,
        this.events,
      );
    });
    const e = this.byLogin.get(cur.login);
    if (e) e.passwordEnc = enc;
  }

  /** Removal keeps the user's history (payments, ledger, log): the user and its accounts are marked deleted. */
  async remove(actor: Actor, id: number): Promise<void> {
    const cur = await this.require(id);
    const now = this.clock.now();
    await this.db.tx(async (trx) => {
      // Before the rows go, so a listener still reads the user and its accounts.
      await this.events.emit(trx, { kind: 'user', op: 'delete', userId: id }, now);
      await trx('users').where({ id }).update({ is_deleted: true, last_change_date: now, who_change: actor.id });
      await trx('accounts').where({ user_id: id }).update({ is_deleted: true });
      await trx('user_group_members').where({ user_id: id }).delete();
      await audit(
        trx,
        actor,
        UserAction.USER_REMOVED,
        'user_remove',
        `user ${id} '${cur.login}' removed`,
        { userId: id },
        now,
        this.events,
      );
    });
    this.byLogin.delete(cur.login);
  }

  async list(opts: { from?: number; to?: number; cardUsers?: boolean; dealerId?: number } = {}): Promise<UserRecord[]> {
    let q = this.db.knex('users').where({ is_deleted: false });
    if (opts.cardUsers !== undefined) q = q.andWhere({ is_card_user: opts.cardUsers });
    if (opts.dealerId !== undefined) q = q.andWhere({ dealer_id: opts.dealerId });
    if (opts.from !== undefined && opts.from > 0) q = q.andWhere('id', '>=', opts.from);
    if (opts.to !== undefined && opts.to > 0) q = q.andWhere('id', '<=', opts.to);
    const rows: Record<string, unknown>[] = await q.orderBy('id');
    return rows.map(toUserRecord);
  }

  /**
   * Users whose login, email and full name contain the given parts (an empty part matches all), in id order. The
   * parts are matched literally: % and _ are escaped.
   */
  async search(parts: { login: string; email: string; fullName: string }): Promise<UserSearchHit[]> {
    let q = this.db.knex('users').where({ is_deleted: false });
    // SQLite has no default LIKE escape character (MariaDB's is the backslash): the ESCAPE clause makes both agree.
    const contains = (column: string, part: string) => {
      if (part) q = q.andWhereRaw('?? like ? escape ?', [column, `%${part.replace(/[%_\\]/g, '\\$&')}%`, '\\']);
    };
    contains('login', parts.login);
    contains('email', parts.email);
    contains('full_name', parts.fullName);
    const rows: { id: number; login: string; email: string; full_name: string }[] = await q
      .orderBy('id')
      .select('id', 'login', 'email', 'full_name');
    return rows.map((r) => ({ id: Number(r.id), login: r.login, email: r.email, fullName: r.full_name }));
  }

  /** An account added to an existing user, made its basic account when `basic`. */
  async addAccount(actor: Actor, userId: number, a: NewAccount, basic: boolean): Promise<number> {
    await this.require(userId);
    return this.db.tx(async (trx) => {
      const accountId = await this.accounts.create(trx, userId, a, actor);
      if (basic) await trx('users').where({ id: userId }).update({ basic_account: accountId });
      return accountId;
    });
  }

  /** A comment of an administrator's in the user's log (rpcf_add_user_log), under the action code they chose. */
  async addComment(actor: Actor, userId: number, code: number, text: string): Promise<void> {
    await this.db.tx((trx) => audit(trx, actor, code, 'comment', text, { userId }, this.clock.now(), this.events));
  }

  // ---- additional parameters, groups, contacts ----

  async params(userId: number): Promise<{ id: number; value: string }[]> {
    return this.paramRows.values(userId);
  }

  private async writeParams(
    trx: Knex.Transaction,
    userId: number,
    params: readonly { id: number; value: string }[],
  ): Promise<void> {
    await this.paramRows.replaceValues(trx, userId, params);
  }

  /** The definitions of the additional parameters (uaparams), in id order. */
  async paramDefinitions(): Promise<UserParamDef[]> {
    return this.paramRows.definitions();
  }

  async addParamDefinition(d: UserParamDef): Promise<void> {
    await this.paramRows.addDefinition(d);
  }

  async editParamDefinition(d: UserParamDef): Promise<void> {
    await this.paramRows.updateDefinition(d);
  }

  /** Every user's value of the parameter goes with it. */
  async removeParamDefinition(id: number): Promise<void> {
    await this.paramRows.removeDefinition(id);
  }

  async contacts(userId: number): Promise<UserContact[]> {
    return this.contactRows.forUser(userId);
  }

  async addContact(actor: Actor, userId: number, c: NewUserContact): Promise<number> {
    const now = this.clock.now();
    return this.db.tx(async (trx) => {
      if (!(await this.get(userId, trx))) throw new BillingError('UTM_NO_USER', `no user ${userId}`);
      const id = await this.contactRows.insert(trx, userId, c);
      await audit(
        trx,
        actor,
        UserAction.USER_CHANGED,
        'contact_add',
        `contact ${id} '${c.person}' added to user ${userId}`,
        { userId },
        now,
        this.events,
      );
      return id;
    });
  }

  /** Removing a contact that does not exist does nothing: rpcf_del_user_contact has no result to refuse with. */
  async removeContact(actor: Actor, id: number): Promise<void> {
    const now = this.clock.now();
    await this.db.tx(async (trx) => {
      const c = await this.contactRows.get(id, trx);
      if (!c) return;
      await this.contactRows.delete(trx, id);
      await audit(
        trx,
        actor,
        UserAction.USER_CHANGED,
        'contact_remove',
        `contact ${id} '${c.person}' of user ${c.userId} removed`,
        { userId: c.userId },
        now,
        this.events,
      );
    });
  }

  private async writeGroups(trx: Knex.Transaction, userId: number, groups: readonly number[]): Promise<void> {
    for (const g of new Set(groups)) {
      const exists = await trx('user_groups').where({ id: g }).first('id');
      if (!exists) throw new BillingError('UTM_BAD_INPUT', `no user group ${g} (see get_groups_list)`);
      await trx('user_group_members')
        .insert({ user_id: userId, group_id: g })
        .onConflict(['user_id', 'group_id'])
        .ignore();
    }
  }

  async groupsOf(userId: number): Promise<{ id: number; name: string }[]> {
    const rows: { id: number; name: string }[] = await this.db
      .knex('user_group_members as m')
      .join('user_groups as g', 'g.id', 'm.group_id')
      .where('m.user_id', userId)
      .orderBy('g.id')
      .select('g.id', 'g.name');
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async addToGroup(actor: Actor, userIds: readonly number[], groupId: number): Promise<void> {
    const now = this.clock.now();
    await this.db.tx(async (trx) => {
      for (const u of userIds) {
        if (!(await trx('users').where({ id: u, is_deleted: false }).first('id')))
          throw new BillingError('UTM_NO_USER', `no user ${u}`);
        await this.writeGroups(trx, u, [groupId]);
        await audit(
          trx,
          actor,
          UserAction.GROUPS,
          'group_add',
          `user ${u} added to group ${groupId}`,
          { userId: u },
          now,
          this.events,
        );
      }
    });
  }

  async removeFromGroup(actor: Actor, userId: number, groupId: number): Promise<void> {
    const now = this.clock.now();
    await this.db.tx(async (trx) => {
      await trx('user_group_members').where({ user_id: userId, group_id: groupId }).delete();
      await audit(
        trx,
        actor,
        UserAction.GROUPS,
        'group_remove',
        `user ${userId} removed from group ${groupId}`,
        { userId },
        now,
        this.events,
      );
    });
  }
}
