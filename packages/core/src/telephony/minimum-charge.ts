import type { Knex } from '@utm5/db';
import type { Charger } from '../tariffication/charger';
import { ServiceType, type LinkHook, type Period, type ServiceRow, type SLink } from '../tariffication/model';

/**
 * The telephony service's minimum charge ("minimal invoice sum"): when a link's accounting period closes, what its
 * calls of the period were charged is brought up to the service's minimum_charge.
 */
export class MinimumCharge implements LinkHook {
  constructor(private readonly charger: Pick<Charger, 'move'>) {}

  async closing(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, now: number): Promise<void> {
    if (svc.type !== ServiceType.TELEPHONY) return;
    const t = await trx('tel_services').where({ service_id: svc.id }).first('minimum_charge');
    const minimum = Number(t?.minimum_charge ?? 0);
    if (minimum <= 0) return;
    const r = await trx('tel_calls').where({ slink_id: link.id, period_id: p.id }).sum({ c: 'charged' }).first();
    const diff = minimum - Number(r?.c ?? 0);
    if (diff > 0)
      await this.charger.move(
        trx,
        link,
        svc,
        p.id,
        diff,
        now,
        `${svc.name}: minimum charge for calls`,
        'charge',
        false,
      );
  }
}
