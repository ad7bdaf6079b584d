import type { Clock } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { AccountLocks } from '../billing/account-locks';
import { SYSTEM_ACTOR } from '../billing/audit';
import type { BlockService } from '../billing/blocking/block-service';
import { BlockType, NO_END } from '../billing/blocking/block-types';
import type { TimeEvents } from '../billing/timemarks/time-events';
import type { AccountPort } from './account-port';
import type { Catalog } from './catalog';
import type { Charger } from './charger';
import { PolicyFlag } from './charge-policy';
import { dueFor } from './due';
import type { LinkPeriod, Period } from './model';
import type { ServiceLinkRepo } from './service-link-repo';

const WEEK = 7 * 86400;
/** Accounts per transaction in bulk runs (flow charges, period close). */
export const ACCOUNT_BATCH = 200;

export interface ChargeTimersDeps {
  readonly db: Database;
  readonly clock: Clock;
  /** A system parameter's current value (flow_charges_count). */
  readonly param: (name: string) => string | undefined;
  readonly catalog: Pick<Catalog, 'period'>;
  readonly charger: Charger;
  readonly links: ServiceLinkRepo;
  readonly accounts: AccountPort;
  readonly locks: Pick<AccountLocks, 'with'>;
  readonly events: Pick<TimeEvents, 'set'>;
  readonly blocks: Pick<BlockService, 'active' | 'block' | 'checkFunds'>;
}

/**
 * The timemarks of an open accounting period and what they do: its end is armed (the close is PeriodClose's), flow
 * fees are charged in portions at the part boundaries, and at a charge policy's timemarks accounts whose funds do
 * not cover the rest of the period's fees are blocked.
 */
export class ChargeTimers {
  constructor(private readonly d: ChargeTimersDeps) {}

  private parts(p: Period): number {
    const L = p.end - p.start;
    if (p.chargesPerWeek > 0) return Math.max(1, Math.round((L * p.chargesPerWeek) / WEEK));
    return Math.max(1, Number(this.d.param('flow_charges_count') ?? 64));
  }

  /** The time (integer seconds) the end of part i of the period falls at. */
  private boundary(p: Period, i: number, parts: number): number {
    return p.start + Math.ceil(((p.end - p.start) * i) / parts);
  }

  async armPeriod(p: Period): Promise<void> {
    if (p.isClosed) return;
    const ev = this.d.events;
    ev.set({ at: p.end, kind: 'period_end', id: p.id });
    const now = this.d.clock.now();
    const parts = this.parts(p);
    for (let i = 1; i < parts; i++) {
      const t = this.boundary(p, i, parts);
      if (t > now || (t === now && now > p.start)) {
        ev.set({ at: t, kind: 'flow_tick', id: p.id });
        break;
      }
    }
    const next = await this.nextTimemark(p, now);
    if (next !== undefined) ev.set({ at: next, kind: 'timemark', id: p.id });
  }

  private async nextTimemark(p: Period, after: number): Promise<number | undefined> {
    let best: number | undefined;
    for (const r of await this.d.links.policiesInPeriod(p.id)) {
      if (!(Number(r.flags) & PolicyFlag.BLOCK_ON_FUNDS_LACK)) continue;
      for (const off of String(r.timemarks).split(',').filter(Boolean).map(Number)) {
        const t = p.start + off;
        if (off > 0 && t > after && t < p.end && (best === undefined || t < best)) best = t;
      }
    }
    return best;
  }

  /**
   * A charge policy's timemark: accounts whose funds do not cover what their links with "system block on funds
   * lack" will still cost this period are blocked.
   */
  async fundsCheck(periodId: number): Promise<void> {
    const { db, charger, blocks } = this.d;
    const p = await this.d.catalog.period(periodId);
    if (!p || p.isClosed) return;
    const now = this.d.clock.now();
    const byAccount = new Map<number, LinkPeriod[]>();
    for (const r of await this.d.links.periodRecordsWithPolicy(periodId)) {
      if (!(r.flags & PolicyFlag.BLOCK_ON_FUNDS_LACK)) continue;
      byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r.lp]);
    }
    for (const [accountId, lps] of byAccount) {
      await this.d.locks.with(accountId, () =>
        db.tx(async (trx) => {
          if (await blocks.active(trx, accountId)) return;
          let need = 0;
          for (const lp of lps) {
            const link = (await charger.link(trx, lp.slinkId))!;
            const svc = await charger.service(trx, link.serviceId);
            need += Math.max(0, dueFor(await charger.dueInput(trx, link, svc, p, lp, p.end)) - lp.charged);
          }
          const acc = await this.d.accounts.funds(trx, accountId);
          if (acc.balance + acc.credit < need) {
            await blocks.block(
              trx,
              accountId,
              BlockType.SYSTEM,
              now,
              NO_END,
              now,
              SYSTEM_ACTOR,
              'funds lack at a timemark',
              'funds_lack',
            );
          }
        }),
      );
    }
    const next = await this.nextTimemark(p, now);
    if (next !== undefined) this.d.events.set({ at: next, kind: 'timemark', id: p.id });
  }

  async flowTick(periodId: number): Promise<void> {
    const { db, charger, links } = this.d;
    const p = await this.d.catalog.period(periodId);
    if (!p || p.isClosed) return;
    const now = this.d.clock.now();
    const parts = this.parts(p);
    let i = 0;
    for (let k = 1; k < parts; k++) if (this.boundary(p, k, parts) <= now) i = k;
    const byAccount = new Map<number, number[]>();
    for (const r of await links.flowLinksInPeriod(periodId))
      byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r.slinkId]);
    const accounts = [...byAccount.keys()];
    await charger.memoized(async () => {
      for (let b = 0; b < accounts.length; b += ACCOUNT_BATCH) {
        const batch = accounts.slice(b, b + ACCOUNT_BATCH);
        await this.d.locks.with(batch, () =>
          db.tx(async (trx) => {
            for (const a of batch) {
              for (const slinkId of byAccount.get(a)!) {
                // Re-read under the lock: a payment or a block may have moved it since the list was taken.
                const lp = (await links.periodRecord(trx, slinkId, periodId))!;
                const link = (await charger.link(trx, slinkId))!;
                await charger.flowTick(trx, link, await charger.service(trx, link.serviceId), p, lp, i, parts, now);
              }
              await this.d.blocks.checkFunds(trx, a, now, { payment: false });
            }
          }),
        );
      }
    });
    if (i + 1 < parts) this.d.events.set({ at: this.boundary(p, i + 1, parts), kind: 'flow_tick', id: p.id });
  }
}
