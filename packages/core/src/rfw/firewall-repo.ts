import type { SecretBox } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import { BillingError, badInput } from '../billing/billing-error';
import { SYSTEM_COLLECTOR } from '../traffic/catalog';

/** A firewall: UTM5's "router", the same object as a NetFlow provider (netflow_providers). */
export interface Firewall {
  readonly id: number;
  /** 0 local, 1 cisco (rsh). */
  readonly type: number;
  /** The rfw_name of its utm5_rfw (UTM5's router_ip field). */
  readonly name: string;
  /** The NetFlow provider address (router_bin_ip). */
  readonly ip: string;
  readonly login: string;
  readonly comment: string;
  /** The traffic collector that accepts its NetFlow (1, the System collector, unless set). */
  readonly collectorId: number;
}

export interface FirewallDef {
  readonly type: number;
  readonly name: string;
  readonly ip: string;
  readonly login: string;
  /** Write-only: empty keeps the stored one on an edit. */
  readonly password: string;
  readonly comment: string;
  /** The traffic collector of its NetFlow; unset keeps the stored one (the System collector for a new one). */
  readonly collectorId?: number;
}

const NAME = /^[\w.@:-]{1,128}$/;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)$/i;
/** The System traffic collector every installation has (migration 007): a firewall made here is its provider. */
const CACHE_MS = 10_000;

const toFirewall = (r: Record<string, unknown>): Firewall => ({
  id: Number(r['id']),
  type: Number(r['fw_type']),
  name: String(r['name']),
  ip: String(r['ip']),
  login: String(r['login']),
  comment: String(r['comment']),
  collectorId: Number(r['collector_id']),
});

/**
 * The firewalls (netflow_providers rows with their firewall columns), kept in memory for the queue and the
 * dispatcher; the rsh password is sealed with the core's key and never logged or listed.
 */
export class FirewallRepo {
  private cache: Firewall[] | undefined;
  private cachedAt = 0;

  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
    /** Told after a change, so the traffic collectors' topic (which lists the providers) is republished. */
    private readonly changed: () => void,
  ) {}

  /** Every firewall; the list is kept a few seconds (providers may also change through the traffic catalog). */
  async all(trx?: Knex.Transaction): Promise<readonly Firewall[]> {
    if (this.cache && Date.now() - this.cachedAt < CACHE_MS) return this.cache;
    const rows: Record<string, unknown>[] = await (trx ?? this.db.knex)('netflow_providers').orderBy('id');
    const list = rows.map(toFirewall);
    this.cache = list;
    this.cachedAt = Date.now();
    return list;
  }

  /** The firewall of an rfw_name (read again on a miss: it may just have been registered). */
  async byName(name: string): Promise<Firewall | undefined> {
    const hit = (await this.all()).find((f) => f.name === name);
    if (hit) return hit;
    this.cache = undefined;
    return (await this.all()).find((f) => f.name === name);
  }

  async byId(id: number, trx?: Knex.Transaction): Promise<Firewall | undefined> {
    return (await this.all(trx)).find((f) => f.id === id);
  }

  /** The rsh password of a firewall (for utm5_rfw of the cisco type; never logged). */
  async password(id: number): Promise<string> {
    const r = await this.db.knex('netflow_providers').where({ id }).first('password');
    return r?.password ? this.secrets.open(String(r.password)) : '';
  }

  /** Creates (id 0) or edits a firewall; answers its id. */
  async put(id: number, def: FirewallDef): Promise<number> {
    if (def.type !== 0 && def.type !== 1)
      throw badInput(`firewall type ${def.type}: 0 (local) or 1 (cisco, rsh) are allowed`);
    if (!NAME.test(def.name))
      throw badInput(
        `firewall name '${def.name}': 1-128 letters, digits and . _ - @ : (it is the rfw_name of its utm5_rfw)`,
      );
    const ip = def.ip.trim() || '0.0.0.0';
    if (!IP.test(ip)) throw badInput(`firewall '${def.name}': '${def.ip}' is not an IP address`);
    const row: Record<string, unknown> = {
      fw_type: def.type,
      name: def.name,
      ip,
      login: def.login,
      comment: def.comment,
    };
    if (def.password) row['password'] = this.secrets.seal(def.password);
    if (def.collectorId !== undefined) row['collector_id'] = def.collectorId;
    const out = await this.db.tx(async (trx) => {
      if (
        def.collectorId !== undefined &&
        !(await trx('traffic_collectors').where({ id: def.collectorId }).first('id'))
      )
        throw badInput(`firewall (NetFlow provider) '${def.name}': no traffic collector ${def.collectorId}`);
      const clash = await trx('netflow_providers').where({ name: def.name }).whereNot({ id }).first('id');
      if (clash) throw badInput(`a firewall (NetFlow provider) named '${def.name}' exists (id ${clash.id})`);
      if (id === 0) {
        const [newId] = await trx('netflow_providers').insert({ collector_id: SYSTEM_COLLECTOR, password: '', ...row });
        return Number(newId);
      }
      if ((await trx('netflow_providers').where({ id }).update(row)) === 0) throw badInput(`no firewall ${id}`);
      return id;
    });
    this.forget();
    return out;
  }

  /** Removes a firewall no IP group and no firewall rule uses; its commands still queued expire. */
  async remove(id: number, now: number): Promise<void> {
    await this.db.tx(async (trx) => {
      const fw = await trx('netflow_providers').where({ id }).first('id', 'name');
      if (!fw) throw badInput(`no firewall ${id}`);
      const group = await trx('ip_groups').where({ router_id: id, is_deleted: false }).first('slink_id');
      if (group)
        throw new BillingError(
          'UTM_IN_USE',
          `firewall ${id} (${fw.name}) is the NetFlow provider of an IP group of service link ${group.slink_id}`,
        );
      const rule = await trx('fw_rules').where({ router_id: id, is_deleted: false }).first('id');
      if (rule)
        throw new BillingError('UTM_IN_USE', `firewall ${id} (${fw.name}) is the place of firewall rule ${rule.id}`);
      await trx('rfw_queue')
        .where({ router_id: id })
        .whereNull('delivered_at')
        .whereNull('status')
        .update({ status: 'expired', stderr: `firewall removed at ${now}` });
      await trx('netflow_providers').where({ id }).delete();
    });
    this.forget();
  }

  private forget(): void {
    this.cache = undefined;
    this.changed();
  }
}
