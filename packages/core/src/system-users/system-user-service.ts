import {
  UtmError,
  inSubnet,
  isLoopback,
  normalizeIp,
  type Clock,
  type Logger,
  type SecretBox,
  type Service,
} from '@utm5/common';
import {
  SystemGroupRepo,
  SystemUserRepo,
  type Database,
  type SystemGroupRecord,
  type SystemUserRecord,
} from '@utm5/db';
import { DEFAULT_SYSTEM_USERS, defaultPasswordOf } from './defaults';
import { isPermitted } from './permission';
import type { Principal } from './principal';

/** A group's right to call a range of functions, as its handlers pass it back on change. */
export type { FunctionRight } from '@utm5/db';

export class SystemUserError extends UtmError {}

export type LoginCheck =
  | { readonly ok: true; readonly user: SystemUserRecord; readonly password: string }
  | { readonly ok: false; readonly reason: string };

export interface SystemUserInput {
  readonly id?: number;
  readonly login: string;
  readonly password: string;
  readonly ip4: string;
  readonly mask4: number;
  readonly ip6: string;
  readonly mask6: number;
  readonly groups: readonly number[];
}

/**
 * System users and groups, held in memory (loaded at start, written through on change). Answers the questions login
 * and every call ask: who is this, may they log in from there, may they call that.
 */
export class SystemUserService implements Service {
  readonly name = 'system users';
  private users = new Map<number, SystemUserRecord>();
  private groups = new Map<number, SystemGroupRecord>();
  private readonly userRepo: SystemUserRepo;
  private readonly groupRepo: SystemGroupRepo;

  constructor(
    db: Database,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.userRepo = new SystemUserRepo(db);
    this.groupRepo = new SystemGroupRepo(db);
  }

  async start(): Promise<void> {
    if ((await this.userRepo.count()) === 0) await this.seedDefaults();
    await this.reload();
    for (const u of this.users.values()) {
      if (this.hasDefaultPassword(u)) {
        this.log.warn(
          `system user '${u.login}' still has its default password: it may log in from loopback only ` +
            'until the password is changed',
        );
      }
    }
  }

  async stop(): Promise<void> {}

  private async seedDefaults(): Promise<void> {
    const now = this.clock.now();
    for (const d of DEFAULT_SYSTEM_USERS) {
      await this.userRepo.create(
        {
          id: d.id,
          login: d.login,
          passwordEnc: this.secrets.seal(d.login),
          ip4: '0.0.0.0',
          mask4: 0,
          ip6: '::',
          mask6: 0,
          groups: d.groups,
        },
        now,
      );
    }
    this.log.notice(`created the default system users ${DEFAULT_SYSTEM_USERS.map((d) => d.login).join(', ')}`);
  }

  async reload(): Promise<void> {
    this.users = new Map((await this.userRepo.list()).map((u) => [u.id, u]));
    this.groups = new Map((await this.groupRepo.list()).map((g) => [g.id, g]));
  }

  listUsers(): SystemUserRecord[] {
    return [...this.users.values()].sort((a, b) => b.id - a.id);
  }

  listGroups(): SystemGroupRecord[] {
    return [...this.groups.values()].sort((a, b) => a.id - b.id);
  }

  groupMap(): ReadonlyMap<number, SystemGroupRecord> {
    return this.groups;
  }

  user(id: number): SystemUserRecord | undefined {
    return this.users.get(id);
  }

  byLogin(login: string): SystemUserRecord | undefined {
    for (const u of this.users.values()) if (u.login === login) return u;
    return undefined;
  }

  passwordOf(u: SystemUserRecord): string {
    return this.secrets.open(u.passwordEnc);
  }

  hasDefaultPassword(u: SystemUserRecord): boolean {
    const def = defaultPasswordOf(u.login);
    return def !== undefined && this.passwordOf(u) === def;
  }

  /** Whether ip lies in the user's allowed IPv4 or IPv6 subnet (mask 0 = anywhere in that family). */
  fromAllowedSubnet(u: SystemUserRecord, ip: string): boolean {
    const addr = normalizeIp(ip);
    return addr.includes(':') ? inSubnet(addr, u.ip6, u.mask6) : inSubnet(addr, u.ip4, u.mask4);
  }

  /**
   * May this login start a session from ip? Returns the clear password for the CHAP check, or why not (for the
   * log; the peer is only told "rejected").
   */
  checkLogin(login: string, ip: string): LoginCheck {
    const u = this.byLogin(login);
    if (!u) return { ok: false, reason: `no system user '${login}'` };
    if (!this.fromAllowedSubnet(u, ip)) {
      return {
        ok: false,
        reason: `system user '${login}' may not log in from ${ip} (allowed ${u.ip4}/${u.mask4}, ${u.ip6}/${u.mask6})`,
      };
    }
    if (!isLoopback(ip) && this.hasDefaultPassword(u)) {
      return {
        ok: false,
        reason: `system user '${login}' has its default password and may log in from loopback only; change it`,
      };
    }
    return { ok: true, user: u, password: this.passwordOf(u) };
  }

  principalOf(u: SystemUserRecord): Principal {
    return { kind: 'system', id: u.id, login: u.login, groups: u.groups };
  }

  permitted(p: Principal, fid: number): boolean {
    // Group membership may have changed since the session began: use the current groups.
    if (p.kind === 'system') {
      const u = this.users.get(p.id);
      if (!u) return false;
      return isPermitted({ ...p, groups: u.groups }, fid, this.groups);
    }
    return isPermitted(p, fid, this.groups);
  }

  /** The rule applied to exactly the groups the principal names (for listing a group's rights). */
  permittedByGroups(p: Principal, fid: number): boolean {
    return isPermitted(p, fid, this.groups);
  }

  private validate(input: SystemUserInput): void {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(input.login)) {
      throw new SystemUserError('UTM_SYSUSER_BAD', `login '${input.login}' must be 1-64 letters, digits or _.@-`);
    }
    if (input.mask4 < 0 || input.mask4 > 32 || input.mask6 < 0 || input.mask6 > 128) {
      throw new SystemUserError(
        'UTM_SYSUSER_BAD',
        `mask4 must be 0..32 and mask6 0..128 (got ${input.mask4}, ${input.mask6})`,
      );
    }
    for (const g of input.groups) {
      if (!this.groups.has(g)) throw new SystemUserError('UTM_SYSUSER_BAD', `system group ${g} does not exist`);
    }
  }

  async addUser(input: SystemUserInput): Promise<number> {
    this.validate(input);
    if (this.byLogin(input.login))
      throw new SystemUserError('UTM_SYSUSER_EXISTS', `system user '${input.login}' already exists`);
    const rec = {
      login: input.login,
      passwordEnc: this.secrets.seal(input.password),
      ip4: input.ip4,
      mask4: input.mask4,
      ip6: input.ip6,
      mask6: input.mask6,
      groups: input.groups,
    };
    const id = await this.userRepo.create(
      input.id !== undefined && input.id < 0 ? { ...rec, id: input.id } : rec,
      this.clock.now(),
    );
    this.users.set(id, { ...rec, id });
    return id;
  }

  /** An empty password keeps the current one (as admin tools send when the field is left blank). */
  async editUser(input: SystemUserInput & { id: number }): Promise<void> {
    const cur = this.users.get(input.id);
    if (!cur) throw new SystemUserError('UTM_SYSUSER_NOT_FOUND', `system user ${input.id} does not exist`);
    this.validate(input);
    const other = this.byLogin(input.login);
    if (other && other.id !== input.id)
      throw new SystemUserError('UTM_SYSUSER_EXISTS', `system user '${input.login}' already exists`);
    const rec: SystemUserRecord = {
      id: input.id,
      login: input.login,
      passwordEnc: input.password === '' ? cur.passwordEnc : this.secrets.seal(input.password),
      ip4: input.ip4,
      mask4: input.mask4,
      ip6: input.ip6,
      mask6: input.mask6,
      groups: input.groups,
    };
    await this.userRepo.update(rec, this.clock.now());
    this.users.set(rec.id, rec);
  }

  /**
   * A system user's own password change (rpcf_change_own_password): the old password proves it is the user at the
   * keyboard, not a session left open.
   */
  async changeOwnPassword(id: number, oldPassword: string, newPassword: string): Promise<void> {
    const cur = this.users.get(id);
    if (!cur) throw new SystemUserError('UTM_SYSUSER_NOT_FOUND', `system user ${id} does not exist`);
    if (this.passwordOf(cur) !== oldPassword)
      throw new SystemUserError('UTM_SYSUSER_BAD', `old password of system user '${cur.login}' is wrong`);
    if (newPassword === '') throw new SystemUserError('UTM_SYSUSER_BAD', 'the new password must not be empty');
    if (newPassword === defaultPasswordOf(cur.login))
      throw new SystemUserError('UTM_SYSUSER_BAD', `the new password of '${cur.login}' must not be its default one`);
    const rec: SystemUserRecord = { ...cur, passwordEnc: this.secrets.seal(newPassword) };
    await this.userRepo.update(rec, this.clock.now());
    this.users.set(rec.id, rec);
  }

  async removeUser(id: number): Promise<void> {
    const u = this.users.get(id);
    if (!u) throw new SystemUserError('UTM_SYSUSER_NOT_FOUND', `system user ${id} does not exist`);
    if (u.login === 'init') throw new SystemUserError('UTM_SYSUSER_PROTECTED', "system user 'init' cannot be removed");
    await this.userRepo.remove(id);
    this.users.delete(id);
  }

  async saveGroup(g: SystemGroupRecord): Promise<void> {
    if (g.name.trim() === '') throw new SystemUserError('UTM_SYSUSER_BAD', 'system group name must not be empty');
    await this.groupRepo.save(g);
    this.groups.set(g.id, g);
  }

  async removeGroup(id: number): Promise<void> {
    if (!this.groups.has(id)) throw new SystemUserError('UTM_SYSUSER_NOT_FOUND', `system group ${id} does not exist`);
    await this.groupRepo.remove(id);
    this.groups.delete(id);
    for (const [uid, u] of this.users)
      if (u.groups.includes(id)) this.users.set(uid, { ...u, groups: u.groups.filter((x) => x !== id) });
  }
}
