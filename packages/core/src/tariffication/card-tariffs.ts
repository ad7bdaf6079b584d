import type { Actor } from '../billing/audit';
import { BillingError } from '../billing/billing-error';
import type { CardTariffs } from '../billing/cards/card-service';
import type { Catalog } from './catalog';
import { PeriodType } from './period-calendar';

/** The manual's system accounting period: from 1970-01-01 to 2038-01-19 (the largest 32-bit unix time). */
export const SYSTEM_PERIOD = { start: 0, end: 2 ** 31 - 1 } as const;

/**
 * Card users' tariff plans (the manual, "Add a card pool"): the plan is linked with its services in the system
 * accounting period, which is made the first time a card user needs it. Its length is why only services without
 * (or with a negligible) periodic fee suit such plans.
 */
export interface CardTariffsDeps {
  readonly catalog: Pick<Catalog, 'periods' | 'tariff'>;
  /** Adds an accounting period with its timemarks armed. */
  addPeriod(p: Parameters<Catalog['addPeriod']>[0]): Promise<number>;
  linkTariff(actor: Actor, t: { accountId: number; current: number; next: number; periodId: number }): Promise<number>;
}

export function cardTariffs(t: CardTariffsDeps): CardTariffs {
  let making: Promise<number> | undefined;
  const systemPeriod = async (): Promise<number> => {
    const open = (await t.catalog.periods(false)).find(
      (p) => p.start === SYSTEM_PERIOD.start && p.end === SYSTEM_PERIOD.end,
    );
    if (open) return open.id;
    // Two registrations at once must not make two system periods.
    making ??= t
      .addPeriod({
        start: SYSTEM_PERIOD.start,
        end: SYSTEM_PERIOD.end,
        type: PeriodType.CUSTOM,
        customDuration: SYSTEM_PERIOD.end,
      })
      .finally(() => {
        making = undefined;
      });
    return making;
  };
  return {
    async check(tariffId) {
      if (!(await t.catalog.tariff(tariffId))) {
        throw new BillingError(
          'UTM_CARD_REFUSED',
          `the card's tariff plan ${tariffId} does not exist (give the card pool an existing plan)`,
        );
      }
    },
    async attach(actor: Actor, accountId, tariffId) {
      return t.linkTariff(actor, { accountId, current: tariffId, next: tariffId, periodId: await systemPeriod() });
    },
  };
}
