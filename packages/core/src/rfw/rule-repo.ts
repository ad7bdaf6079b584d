import type { Database, Knex } from '@utm5/db';
import { badInput } from '../billing/billing-error';
import { FW_EVENTS, FW_EVENT_BIT } from './fw-events';
import { splitTemplate } from './template';
import { RULE_FLAG } from './applicability';

/** A firewall rule as rpcf_get_fwrules_list_new lists it. */
export interface FwRule {
  readonly id: number;
  readonly flags: number;
  /** The mask of its initiating events (FW_EVENTS bits). */
  readonly events: number;
  /** 0: every firewall. */
  readonly routerId: number;
  readonly tariffId: number;
  readonly groupId: number;
  readonly userId: number;
  /** The command template. */
  readonly rule: string;
  readonly comment: string;
  /** The template split into words (variables not yet substituted). */
  readonly argv: readonly string[];
}

export type FwRuleDef = Omit<FwRule, 'id' | 'argv'>;

/** Every bit FW_EVENTS declares: a mask with another bit names an event that does not exist. */
const ALL_EVENTS = FW_EVENTS.reduce((m, e) => m + FW_EVENT_BIT[e.key], 0);
const FLAGS = RULE_FLAG.ALL_USERS + RULE_FLAG.AND;

function toRule(r: Record<string, unknown>): FwRule {
  const split = splitTemplate(String(r['rule']));
  return {
    id: Number(r['id']),
    flags: Number(r['flags']),
    events: Number(r['events']),
    routerId: Number(r['router_id']),
    tariffId: Number(r['tariff_id']),
    groupId: Number(r['group_id']),
    userId: Number(r['user_id']),
    rule: String(r['rule']),
    comment: String(r['comment']),
    argv: 'argv' in split ? split.argv : [],
  };
}

/** Whether a mask sets only bits of declared events (the bits are 0..n-1, so every mask up to their sum). */
function knownBits(mask: number): boolean {
  return Number.isSafeInteger(mask) && mask >= 0 && mask <= ALL_EVENTS;
}

/** The firewall rules (fw_rules), kept in memory: every event looks them up. Deleted rules are kept, marked. */
export class RuleRepo {
  private cache: FwRule[] | undefined;
  /** Bumped by every change: a list read while a change committed is not kept. */
  private generation = 0;

  constructor(private readonly db: Database) {}

  /** The rules in force; inside a transaction pass it (SQLite has one connection). */
  async all(trx?: Knex.Transaction): Promise<readonly FwRule[]> {
    if (this.cache) return this.cache;
    const gen = this.generation;
    const rows: Record<string, unknown>[] = await (trx ?? this.db.knex)('fw_rules')
      .where({ is_deleted: false })
      .orderBy('id');
    const list = rows.map(toRule);
    if (gen === this.generation) this.cache = list;
    return list;
  }

  private forget(): void {
    this.cache = undefined;
    this.generation++;
  }

  async add(def: FwRuleDef, now: number): Promise<number> {
    const id = await this.db.tx(async (trx) => {
      await this.check(trx, def);
      const [newId] = await trx('fw_rules').insert({ ...row(def), create_date: now });
      return Number(newId);
    });
    this.forget();
    return id;
  }

  async edit(id: number, def: FwRuleDef): Promise<void> {
    await this.db.tx(async (trx) => {
      if (!(await trx('fw_rules').where({ id, is_deleted: false }).first('id')))
        throw badInput(`no firewall rule ${id}`);
      await this.check(trx, def);
      await trx('fw_rules').where({ id }).update(row(def));
    });
    this.forget();
  }

  async remove(id: number): Promise<void> {
    const n = await this.db.knex('fw_rules').where({ id, is_deleted: false }).update({ is_deleted: true });
    if (n === 0) throw badInput(`no firewall rule ${id}`);
    this.forget();
  }

  /** Refuses a rule whose firewall, tariff, group or user does not exist, or whose template or events are bad. */
  private async check(trx: Knex.Transaction, d: FwRuleDef): Promise<void> {
    if (!Number.isInteger(d.flags) || d.flags < 0 || d.flags > FLAGS)
      throw badInput(`firewall rule flags ${d.flags}: 0..3 (1 all users, 2 user/group/tariff combined with AND)`);
    if (!knownBits(d.events))
      throw badInput(
        `firewall rule events mask ${d.events} sets bits of no event (rpcf_get_fw_events lists the ${FW_EVENTS.length} events' bits)`,
      );
    if (d.events === 0) throw badInput('a firewall rule needs at least one initiating event (events mask 0)');
    const split = splitTemplate(d.rule);
    if ('error' in split) throw badInput(`firewall rule template '${d.rule}': ${split.error}`);
    const exists = async (table: string, id: number, deleted: boolean) =>
      Boolean(
        await trx(table)
          .where(deleted ? { id, is_deleted: false } : { id })
          .first('id'),
      );
    if (d.routerId > 0 && !(await exists('netflow_providers', d.routerId, false)))
      throw badInput(`firewall rule: no firewall ${d.routerId} (rpcf_get_routers_list lists them; 0 = every firewall)`);
    if (d.tariffId > 0 && !(await exists('tariffs', d.tariffId, true)))
      throw badInput(`firewall rule: no tariff ${d.tariffId}`);
    if (d.groupId > 0 && !(await exists('user_groups', d.groupId, false)))
      throw badInput(`firewall rule: no user group ${d.groupId}`);
    if (d.userId > 0 && !(await exists('users', d.userId, true))) throw badInput(`firewall rule: no user ${d.userId}`);
    if (d.routerId < 0 || d.tariffId < 0 || d.groupId < 0 || d.userId < 0)
      throw badInput('firewall rule: router, tariff, group and user ids are 0 (none) or an id');
  }
}

function row(d: FwRuleDef): Record<string, unknown> {
  return {
    flags: d.flags,
    events: d.events,
    router_id: d.routerId,
    tariff_id: d.tariffId,
    group_id: d.groupId,
    user_id: d.userId,
    rule: d.rule,
    comment: d.comment,
  };
}
