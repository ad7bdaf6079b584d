import type { Database, Knex } from '@utm5/db';
import { formatIpv4, parseIpv4 } from '@utm5/inet';
import type { PoolWire } from '@utm5/protocol';
import { badInput as bad } from '../billing/billing-error';

export interface IpPoolDef {
  readonly name: string;
  readonly address: string;
  readonly mask: number;
}

/** The network address of ip/mask (IPv4), or undefined when ip is not a dotted IPv4 address. */
function network(ip: string, mask: number): string | undefined {
  const n = parseIpv4(ip.trim());
  if (n === undefined) return undefined;
  const size = 2 ** (32 - mask);
  return formatIpv4(n - (n % size));
}

/**
 * IP pools (the manual's "IP pools" page): a name and an IPv4 network utm5_radius gives addresses from to dial-up
 * links whose service names the pool, and to guest and blocked users (guest_pool_name, blocked_pool_name). Several
 * pools may share a name; they are used in id order (the order of addition) unless named_pool_shuffle is set.
 */
export class IpPoolCatalog {
  constructor(
    private readonly db: Database,
    private readonly changed: () => void,
  ) {}

  private check(p: IpPoolDef): IpPoolDef {
    const name = p.name.trim();
    if (!name) throw bad('an IP pool needs a name');
    if (!Number.isInteger(p.mask) || p.mask < 8 || p.mask > 32)
      throw bad(`IP pool '${name}': mask ${p.mask} must be 8..32`);
    const address = network(p.address, p.mask);
    if (!address) throw bad(`IP pool '${name}': '${p.address}' is not an IPv4 address`);
    return { name, address, mask: p.mask };
  }

  async list(): Promise<PoolWire[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('ip_pools').orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      name: String(r['name']),
      address: String(r['address']),
      mask: Number(r['mask']),
    }));
  }

  async get(id: number): Promise<PoolWire | undefined> {
    return (await this.list()).find((p) => p.id === id);
  }

  /** Adds a pool; id 0 (or an id in use) takes the next free one. Returns the id. */
  async add(p: IpPoolDef, id = 0): Promise<number> {
    const v = this.check(p);
    const saved = await this.db.tx(async (trx) => {
      await this.noOverlap(trx, v, 0);
      const free = id > 0 && !(await trx('ip_pools').where({ id }).first('id'));
      return Number((await trx('ip_pools').insert({ ...(free ? { id } : {}), ...v }))[0] ?? id);
    });
    this.changed();
    return saved;
  }

  async edit(id: number, p: IpPoolDef): Promise<void> {
    const v = this.check(p);
    await this.db.tx(async (trx) => {
      if (!(await trx('ip_pools').where({ id }).first('id'))) throw bad(`no IP pool ${id}`);
      await this.noOverlap(trx, v, id);
      await trx('ip_pools').where({ id }).update(v);
    });
    this.changed();
  }

  async remove(id: number): Promise<void> {
    if ((await this.db.knex('ip_pools').where({ id }).delete()) === 0) throw bad(`no IP pool ${id}`);
    this.changed();
  }

  /** Two pools sharing addresses would hand one address to two sessions. */
  private async noOverlap(trx: Knex.Transaction, p: IpPoolDef, self: number): Promise<void> {
    const others: Record<string, unknown>[] = await trx('ip_pools').whereNot({ id: self });
    for (const o of others) {
      const m = Math.min(p.mask, Number(o['mask']));
      if (network(p.address, m) === network(String(o['address']), m)) {
        throw bad(
          `IP pool '${p.name}' ${p.address}/${p.mask} overlaps pool ${String(o['id'])} '${String(o['name'])}' ${String(o['address'])}/${String(o['mask'])}`,
        );
      }
    }
  }
}
