import { mulDiv } from '@utm5/common';
import type { Knex } from '@utm5/db';
import { SYSTEM_ACTOR } from '../billing/audit';
import type { BlockRow, BlockService } from '../billing/blocking/block-service';
import { BlockType } from '../billing/blocking/block-types';
import type { AccountPort } from './account-port';
import type { Catalog } from './catalog';
import type { Charger, SettleMoment } from './charger';
import type { LinkPeriod, Period, SLink } from './model';
import type { ServiceLinkRepo } from './service-link-repo';

export interface AccountSettlementDeps {
  readonly catalog: Pick<Catalog, 'period'>;
  readonly charger: Charger;
  readonly links: ServiceLinkRepo;
  readonly accounts: AccountPort;
  readonly blocks: Pick<BlockService, 'active' | 'unblock'>;
}

/**
 * What an account's blocks and payments mean for its fees: the policy flags frozen as a block begins, refunds at
 * the repay moments, and the rest of the period charged (and the system block lifted) once a payment covers it.
 * Billing calls these inside its own transaction, under the account's lock.
 */
export class AccountSettlement {
  constructor(private readonly d: AccountSettlementDeps) {}

  /** The charge-policy flags of the account's links as they are when a block begins. */
  async freezePolicies(trx: Knex.Transaction, blk: BlockRow): Promise<void> {
    await this.d.links.freezePolicies(trx, blk.id, blk.accountId);
  }

  /** Refunds at a repay moment for every period of the account's links not yet settled. */
  async settleAccount(trx: Knex.Transaction, accountId: number, moment: SettleMoment, now: number): Promise<void> {
    const { charger } = this.d;
    for (const lp of await this.d.links.unsettled(trx, accountId)) {
      const link = (await charger.link(trx, lp.slinkId))!;
      const p = await this.d.catalog.period(lp.periodId, trx);
      if (!p) continue;
      await charger.settle(trx, link, await charger.service(trx, link.serviceId), p, lp, moment, now);
    }
  }

  /**
   * After a payment: refunds "on payment"; and an account blocked for lack of funds for its fees is charged the rest
   * of the period and unblocked once the funds cover it.
   */
  async onPayment(trx: Knex.Transaction, accountId: number, now: number, turnOnInet: boolean): Promise<void> {
    const { charger } = this.d;
    await this.settleAccount(trx, accountId, 'payment', now);
    const blk = await this.d.blocks.active(trx, accountId);
    if (!blk || blk.reason !== 'funds_lack') return;
    const skipped = await this.d.links.skippedInOpenPeriods(trx, accountId);
    const acc = await this.d.accounts.funds(trx, accountId);
    const plan: { link: SLink; lp: LinkPeriod; p: Period; base: number }[] = [];
    let need = 0;
    for (const lp of skipped) {
      const link = (await charger.link(trx, lp.slinkId))!;
      const p = (await this.d.catalog.period(lp.periodId, trx))!;
      const svc = await charger.service(trx, link.serviceId);
      const base = mulDiv(await charger.fullCost(trx, link, svc, lp.ordinal), p.end - now, p.end - p.start);
      plan.push({ link, lp, p, base });
      need += acc.unlimited ? 0 : base + mulDiv(base, acc.vatRateE6 + acc.saleTaxRateE6, 100_000_000);
    }
    if (acc.balance + acc.credit < need) return;
    for (const x of plan) {
      const svc = await charger.service(trx, x.link.serviceId);
      await charger.move(trx, x.link, svc, x.p.id, x.base, now, `${svc.name}: fee for the rest of the period`);
      await this.d.links.unskip(trx, x.link.id, x.p.id);
    }
    await this.d.blocks.unblock(trx, accountId, now, SYSTEM_ACTOR, {
      type: BlockType.SYSTEM,
      turnOnInet,
      why: 'funds cover the fees',
    });
  }
}
