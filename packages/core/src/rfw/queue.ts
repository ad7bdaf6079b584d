import type { Logger } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { BillingEvent } from '../events/billing-events';
import { ruleApplies } from './applicability';
import type { ContextReader, EventContext } from './context';
import { fwEventKeys } from './event-keys';
import type { FirewallRepo } from './firewall-repo';
import { hasEvent, type FwEventKey } from './fw-events';
import type { FwRule, RuleRepo } from './rule-repo';
import { renderArgv } from './template';
import { FW_VARIABLE_MATCHER, variableValue } from './variables';

/** One rendered command for one firewall, as rfw_queue keeps it. */
export interface QueueRow {
  readonly router_id: number;
  readonly rule_id: number;
  readonly event: string;
  readonly order_key: string;
  readonly argv: string;
  readonly created_at: number;
}

export interface CommandQueueDeps {
  readonly db: Database;
  readonly rules: RuleRepo;
  readonly firewalls: FirewallRepo;
  readonly context: ContextReader;
  readonly log: Logger;
  /** Called once a transaction that queued commands has committed (the dispatcher sends them). */
  readonly queued: () => void;
}

/** Rows per INSERT: SQLite caps the bound variables of one statement. */
const INSERT_CHUNK = 100;

/**
 * The queue of rendered commands (rfw_queue): a billing event's rules are rendered per firewall and queued in the
 * event's own transaction, so a change and its firewall commands commit or roll back together.
 */
export class CommandQueue {
  constructor(private readonly d: CommandQueueDeps) {}

  /** The BillingEvents listener. */
  readonly onEvent = async (trx: Knex.Transaction, ev: BillingEvent, now: number): Promise<void> => {
    const keys = fwEventKeys(ev);
    if (keys.length === 0) return;
    const rules = (await this.d.rules.all(trx)).filter((r) => keys.some((k) => hasEvent(r.events, k)));
    if (rules.length === 0) return;
    const ctx = await this.d.context.read(trx, ev);
    await this.queue(trx, await this.render(trx, rules, keys, ctx, now), now);
  };

  /** The commands of `rules` for the events `keys` with the context's variables, for each firewall of each rule. */
  async render(
    trx: Knex.Transaction,
    rules: readonly FwRule[],
    keys: readonly FwEventKey[],
    ctx: EventContext,
    now: number,
    onlyFirewall?: number,
  ): Promise<QueueRow[]> {
    const firewalls = await this.d.firewalls.all(trx);
    const rows: QueueRow[] = [];
    for (const key of keys)
      for (const rule of rules) {
        if (!hasEvent(rule.events, key) || !ruleApplies(rule, ctx.facts)) continue;
        if (rule.argv.length === 0) {
          this.d.log.warn(
            `firewall rule ${rule.id}: its template does not split into words; fix it (rpcf_edit_fwrule_new)`,
          );
          continue;
        }
        const targets = firewalls.filter(
          (f) =>
            (rule.routerId === 0 || f.id === rule.routerId) && (onlyFirewall === undefined || f.id === onlyFirewall),
        );
        if (targets.length === 0) continue;
        for (const item of ctx.items) {
          const argv = JSON.stringify(
            renderArgv(rule.argv, FW_VARIABLE_MATCHER, (name) => variableValue(name, key, item.values)),
          );
          for (const fw of targets)
            rows.push({
              router_id: fw.id,
              rule_id: rule.id,
              event: key,
              order_key: item.orderKey.slice(0, 255),
              argv,
              created_at: now,
            });
        }
      }
    return rows;
  }

  /** Inserts rows in the transaction; the dispatcher is told once it commits. */
  async queue(trx: Knex.Transaction, rows: readonly QueueRow[], _now: number): Promise<number> {
    if (rows.length === 0) return 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('rfw_queue').insert(rows.slice(i, i + INSERT_CHUNK));
    trx.executionPromise.then(
      () => this.d.queued(),
      () => undefined,
    );
    this.d.log.debug(
      `${rows.length} firewall command(s) queued (${[...new Set(rows.map((r) => r.event))].join(', ')})`,
    );
    return rows.length;
  }

  /** Marks commands waiting longer than keepSeconds 'expired'; logs their count per firewall. */
  async expire(now: number, keepSeconds: number): Promise<number> {
    const before = now - keepSeconds;
    const stale = () =>
      this.d.db.knex('rfw_queue').whereNull('delivered_at').whereNull('status').where('created_at', '<', before);
    const counts: { router_id: number; n: number }[] = await stale()
      .groupBy('router_id')
      .select('router_id')
      .count({ n: '*' });
    if (counts.length === 0) return 0;
    const n = await stale().update({ status: 'expired' });
    const names = new Map((await this.d.firewalls.all()).map((f) => [f.id, f.name]));
    this.d.log.warn(
      `${n} firewall command(s) expired undelivered after ${keepSeconds / 3600} h (rfw_queue_keep_hours): ` +
        counts.map((c) => `${names.get(Number(c.router_id)) ?? `firewall ${c.router_id}`} ${Number(c.n)}`).join(', '),
    );
    return n;
  }
}
