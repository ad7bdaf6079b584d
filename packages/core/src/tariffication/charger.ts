import { mulDiv } from '@utm5/common';
import type { Knex } from '@utm5/db';
import type { Billing } from '../billing/billing';
import { BlockType, NO_END } from '../billing/blocking/block-types';
import { SYSTEM_ACTOR } from '../billing/audit';
import type { Movement } from '../billing/ledger';
import { blockBits, PolicyFlag } from './charge-policy';
import { coefficientE6 } from './coefficients';
import { dueFor, type BlockSpan, type DueInput } from './due';
import { ChargeMethod, toService, type LinkPeriod, type Period, type ServiceRow, type SLink } from './model';
import type { Catalog } from './catalog';

export type SettleMoment = 'close' | 'block' | 'payment' | 'removal';

const REPAY_AT: Record<SettleMoment, number> = {
  close: PolicyFlag.REPAY_ON_PERIOD_END,
  block: PolicyFlag.REPAY_ON_BLOCK_EXPIRE,
  payment: PolicyFlag.REPAY_ON_PAYMENT,
  removal: PolicyFlag.REPAY_ON_LINK_REMOVAL,
};
const LATER_REPAY = PolicyFlag.REPAY_ON_BLOCK_EXPIRE | PolicyFlag.REPAY_ON_PAYMENT;

/** One link's usage charge for chargeUsage. */
export interface UsageCharge {
  readonly link: SLink;
  readonly svc: ServiceRow;
  readonly periodId: number;
  /** Before tax, micro-units. */
  readonly base: number;
  readonly comment: string;
}

interface AccountTaxRow {
  vat_rate_e6?: unknown;
  sale_tax_rate_e6?: unknown;
  unlimited?: unknown;
}

/**
 * The ledger movement of a fee of `base` with the account's taxes: unlimited accounts are charged zero, a charge is
 * taxed when positive, a repay always. `b` is the base as charged.
 */
function taxedMovement(
  acc: AccountTaxRow | undefined,
  link: SLink,
  svc: ServiceRow,
  periodId: number,
  base: number,
  now: number,
  comment: string,
  kind: 'charge' | 'repay',
): { movement: Movement; b: number } {
  const b = acc?.unlimited ? 0 : base;
  const taxed = b > 0 || kind === 'repay';
  const tax = taxed ? mulDiv(b, Number(acc?.vat_rate_e6 ?? 0) + Number(acc?.sale_tax_rate_e6 ?? 0), 100_000_000) : 0;
  return {
    movement: {
      accountId: link.accountId,
      ts: now,
      kind,
      amount: -(b + tax),
      tax,
      slinkId: link.id,
      serviceId: svc.id,
      serviceType: svc.type,
      periodId,
      comment,
    },
    b,
  };
}

/**
 * The money of one service link in one period: the fee it owes (dueFor), what it was charged, and the moves between
 * them: start-of-period charges, flow portions, settlement at period end, refunds at the policy's repay moments.
 * Every call runs in the caller's transaction under the account's lock.
 */
export class Charger {
  constructor(
    private readonly billing: Billing,
    private readonly catalog: Catalog,
    private readonly param: (n: string) => string | undefined,
  ) {}

  /** Services and policies read once per bulk run (a period close touches the same few for every account). */
  private memo:
    { services: Map<number, ServiceRow>; policies: Map<number, { flags: number; timemarks: number[] }> } | undefined;

  private memoDepth = 0;

  /** Runs fn with services and policies cached; nested or interleaved runs share the cache, the last one out drops it. */
  async memoized<T>(fn: () => Promise<T>): Promise<T> {
    if (this.memoDepth++ === 0) this.memo = { services: new Map(), policies: new Map() };
    try {
      return await fn();
    } finally {
      if (--this.memoDepth === 0) this.memo = undefined;
    }
  }

  async policyFlags(k: Knex | Knex.Transaction, policyId: number): Promise<{ flags: number; timemarks: number[] }> {
    const hit = this.memo?.policies.get(policyId);
    if (hit) return hit;
    const p = await k('charge_policies').where({ id: policyId }).first();
    const r = {
      flags: Number(p?.flags ?? 0),
      timemarks: p?.timemarks ? String(p.timemarks).split(',').map(Number) : [],
    };
    this.memo?.policies.set(policyId, r);
    return r;
  }

  async link(k: Knex | Knex.Transaction, id: number): Promise<SLink | undefined> {
    return this.catalog.links.find(id, k);
  }

  async service(k: Knex | Knex.Transaction, id: number): Promise<ServiceRow> {
    const hit = this.memo?.services.get(id);
    if (hit) return hit;
    const r = toService(await k('services').where({ id }).first());
    this.memo?.services.set(id, r);
    return r;
  }

  /** The full fee of a link for its ordinal period k: cost x the link's coefficient x the scheme's. */
  async fullCost(k: Knex | Knex.Transaction, link: SLink, svc: ServiceRow, ordinal: number): Promise<number> {
    const items = svc.schemeId ? await this.catalog.schemeItems(svc.schemeId, k) : [];
    return mulDiv(mulDiv(svc.cost, link.costCoefE6, 1_000_000), coefficientE6(items, ordinal), 1_000_000);
  }

  /** The blocks of an account within [from, to), each with the link's charge-policy flags frozen at its start. */
  async blockSpans(
    k: Knex | Knex.Transaction,
    link: SLink,
    from: number,
    to: number,
    until: number,
    currentFlags: number,
  ): Promise<BlockSpan[]> {
    const rows: Record<string, unknown>[] = await k('blocks_info')
      .where({ account_id: link.accountId })
      .andWhere('start_date', '<', to)
      .andWhere((q) =>
        q.where({ is_active: true }).orWhere((q2) => q2.where({ is_deleted: true }).andWhere('end_date', '>', from)),
      );
    if (rows.length === 0) return [];
    const frozen = new Map<number, number>(
      (
        await k('block_policies')
          .where({ slink_id: link.id })
          .whereIn(
            'block_id',
            rows.map((r) => Number(r['id'])),
          )
      ).map((r: { block_id: number; flags: number }) => [Number(r.block_id), Number(r.flags)]),
    );
    return rows.map((r) => {
      const type = Number(r['block_type']);
      const funds = r['reason'] === 'funds_lack';
      const end = r['is_deleted'] ? Number(r['end_date']) : Math.min(Number(r['expire_date']), until);
      // A charge policy's own block for lack of funds never bills the blocked time: that is its point.
      const flags = funds ? PolicyFlag.RECALC_FEE_IN_BLOCK << 16 : (frozen.get(Number(r['id'])) ?? currentFlags);
      return {
        from: Number(r['start_date']),
        to: Math.max(Number(r['start_date']), end),
        blockType: type,
        policyFlags: flags,
      };
    });
  }

  async dueInput(
    k: Knex | Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    p: Period,
    lp: LinkPeriod,
    until: number,
  ): Promise<DueInput> {
    const { flags } = await this.policyFlags(k, link.policyId);
    const linkEnd = Math.min(link.expireDate, link.removedAt > 0 ? link.removedAt : NO_END);
    return {
      periodStart: p.start,
      periodEnd: p.end,
      linkStart: lp.ordinal === 0 ? Math.max(link.startDate, link.createdAt) : link.startDate,
      linkEnd,
      fullCost: await this.fullCost(k, link, svc, lp.ordinal),
      ordinal: lp.ordinal,
      policyFlags: flags,
      method: svc.method,
      blocks: await this.blockSpans(k, link, p.start, p.end, until, flags),
      until,
    };
  }

  /**
   * Posts a fee of `base` plus the account's taxes (kind charge), or gives one back (kind repay, base negative), and
   * counts it on the link's period. Unlimited accounts are charged zero (the row is still written). A negative
   * one-time cost is a contribution: charged as a negative fee without tax.
   */
  async move(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    periodId: number,
    base: number,
    now: number,
    comment: string,
    kind: 'charge' | 'repay' = base < 0 ? 'repay' : 'charge',
    periodicFee = true,
  ): Promise<void> {
    const acc = await trx('accounts')
      .where({ id: link.accountId })
      .first('vat_rate_e6', 'sale_tax_rate_e6', 'unlimited');
    const { movement, b } = taxedMovement(acc, link, svc, periodId, base, now, comment, kind);
    await this.billing.ledger.post(trx, movement);
    // Usage charges (traffic) are not part of the fee that block recalculation and refunds work from.
    if (periodicFee && periodId > 0 && b !== 0) {
      await trx('slink_periods')
        .where({ slink_id: link.id, period_id: periodId })
        .update({ charged: trx.raw('charged + ?', [b]) });
    }
  }

  /**
   * Usage charges of many links at once (a batch of telephone calls): what move(..., 'charge', false) would post for
   * each, with the accounts' tax rates read once and the ledger written in bulk (postMany). Nothing is added to
   * slink_periods.charged: usage is not part of the periodic fee.
   */
  async chargeUsage(trx: Knex.Transaction, charges: readonly UsageCharge[], now: number): Promise<void> {
    const ids = [...new Set(charges.map((c) => c.link.accountId))];
    const accs = new Map<number, AccountTaxRow>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows: (AccountTaxRow & { id: number })[] = await trx('accounts')
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'vat_rate_e6', 'sale_tax_rate_e6', 'unlimited');
      for (const r of rows) accs.set(Number(r.id), r);
    }
    await this.billing.ledger.postMany(
      trx,
      charges.map(
        (c) =>
          taxedMovement(accs.get(c.link.accountId), c.link, c.svc, c.periodId, c.base, now, c.comment, 'charge')
            .movement,
      ),
      now,
    );
  }

  private async flagsOf(trx: Knex.Transaction, link: SLink): Promise<number> {
    return (await this.policyFlags(trx, link.policyId)).flags;
  }

  /**
   * The start-of-period charge of an at-start link (at its creation for the period it was made in): the full fee,
   * or with recalculation on creation the fee for the rest of the period. Not made while a block with "do not
   * charge" is in force, nor, with "system block on funds lack", when the funds do not cover it (the account is
   * blocked instead).
   */
  async startCharge(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    p: Period,
    lp: LinkPeriod,
    now: number,
  ): Promise<void> {
    const flags = await this.flagsOf(trx, link);
    const full = await this.fullCost(trx, link, svc, lp.ordinal);
    const start =
      lp.ordinal === 0 ? Math.max(link.startDate, link.createdAt, p.start) : Math.max(link.startDate, p.start);
    if (start >= p.end || link.expireDate <= p.start) return;
    const base =
      lp.ordinal === 0 && flags & PolicyFlag.RECALC_FEE_ON_CREATE ? mulDiv(full, p.end - start, p.end - p.start) : full;
    const block = await this.billing.blocks.active(trx, link.accountId);
    if (block && blockBits(flags, block.blockType) & PolicyFlag.NO_CHARGE_IN_BLOCK) {
      await trx('slink_periods').where({ slink_id: link.id, period_id: p.id }).update({ skipped: true });
      return;
    }
    if (flags & PolicyFlag.BLOCK_ON_FUNDS_LACK) {
      const acc = await trx('accounts')
        .where({ id: link.accountId })
        .first('balance', 'credit', 'vat_rate_e6', 'sale_tax_rate_e6', 'unlimited');
      const need = acc.unlimited
        ? 0
        : base + mulDiv(base, Number(acc.vat_rate_e6) + Number(acc.sale_tax_rate_e6), 100_000_000);
      if (Number(acc.balance) + Number(acc.credit) < need) {
        await trx('slink_periods').where({ slink_id: link.id, period_id: p.id }).update({ skipped: true });
        if (!block) {
          await this.billing.blocks.block(
            trx,
            link.accountId,
            BlockType.SYSTEM,
            now,
            NO_END,
            now,
            SYSTEM_ACTOR,
            `funds lack for ${svc.name}`,
            'funds_lack',
          );
        }
        return;
      }
    }
    await this.move(trx, link, svc, p.id, base, now, `${svc.name}: period fee`);
  }

  /**
   * Brings what a link was charged for a period in line with what it owes, as far as the moment allows: at period
   * end (and at removal) the fee still owed is charged; refunds are made only at the policy's repay moments.
   */
  async settle(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    p: Period,
    lp: LinkPeriod,
    moment: SettleMoment,
    now: number,
  ): Promise<void> {
    const input = await this.dueInput(trx, link, svc, p, lp, moment === 'close' ? p.end : now);
    const due = dueFor(input);
    const diff = due - lp.charged;
    const flags = input.policyFlags;
    let charged = lp.charged;
    if (diff > 0 && (moment === 'close' || moment === 'removal')) {
      const noChargeWithoutBlock =
        (flags & PolicyFlag.NO_CHARGE_WITHOUT_BLOCK) !== 0 && svc.method === ChargeMethod.AT_START && lp.skipped;
      if (!noChargeWithoutBlock) {
        await this.move(
          trx,
          link,
          svc,
          p.id,
          diff,
          now,
          `${svc.name}: ${moment === 'close' ? 'period fee' : 'fee to removal'}`,
        );
        charged += diff;
      }
    } else if (diff < 0 && flags & REPAY_AT[moment]) {
      await this.move(
        trx,
        link,
        svc,
        p.id,
        diff,
        now,
        `refund of ${svc.name} (${moment === 'block' ? 'blocked time' : moment})`,
      );
      charged += diff;
    }
    // A closed period stays open for refunds while a later repay moment may still give the overcharge back.
    let settled: boolean | undefined;
    if (moment === 'removal') settled = true;
    else if (moment === 'close' || p.isClosed) settled = !(charged > due && (flags & LATER_REPAY) !== 0);
    if (settled !== undefined)
      await trx('slink_periods').where({ slink_id: link.id, period_id: p.id }).update({ settled });
  }

  /**
   * A flow tick: the period is cut into `parts` equal parts; at the end of part i the link is charged, in whole
   * minimal payments (fee / parts), what its billed time so far has accrued beyond what it was charged.
   */
  async flowTick(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    p: Period,
    lp: LinkPeriod,
    i: number,
    parts: number,
    now: number,
  ): Promise<void> {
    const L = p.end - p.start;
    const input = await this.dueInput(trx, link, svc, p, lp, now);
    const from = Math.max(p.start, input.linkStart);
    const to = Math.min(input.linkEnd, p.end);
    if (to <= from) return;
    // Billed time up to the boundary start + i*L/parts, times `parts` to stay in integers.
    const boundaryX = BigInt(i) * BigInt(L);
    const fromX = BigInt(from - p.start) * BigInt(parts);
    const toX = BigInt(to - p.start) * BigInt(parts);
    const endX = boundaryX < toX ? boundaryX : toX;
    if (endX <= fromX) return;
    const blocked = input.blocks.filter(
      (b) => blockBits(b.policyFlags, b.blockType) & (PolicyFlag.NO_CHARGE_IN_BLOCK | PolicyFlag.RECALC_FEE_IN_BLOCK),
    );
    let blockedX = 0n;
    for (const b of blocked) {
      const bf = BigInt(Math.max(b.from, from) - p.start) * BigInt(parts);
      const bt = BigInt(Math.min(b.to, to) - p.start) * BigInt(parts);
      const e = bt < endX ? bt : endX;
      if (e > bf) blockedX += e - bf;
    }
    const billedX = endX - fromX - blockedX;
    const whole = Number(billedX / BigInt(L)); // minimal payments accrued
    const target = mulDiv(input.fullCost, whole, parts);
    const barrier = Math.round(Number(this.param('min_periodic_charge') ?? '0') * 1_000_000);
    const amount = target - lp.charged;
    if (amount > 0 && amount >= Math.min(barrier, mulDiv(input.fullCost, 1, parts))) {
      await this.move(trx, link, svc, p.id, amount, now, `${svc.name}: flow charge ${i}/${parts}`);
    }
  }
}
