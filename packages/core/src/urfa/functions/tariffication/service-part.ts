import type { Knex } from '@utm5/db';
import type { Core } from '../../../core';
import type { NewService } from '../../../tariffication/catalog';
import type { ServiceRow } from '../../../tariffication/model';
import { engine } from './common';
import { statusOf } from './services';

/**
 * Where a service of an add-or-edit function (service_id 0 adds) sits: an added one by parent_id and tariff_id (-1 a
 * template, tariff_id > 0 a plan service made from template parent_id); an edited one keeps its status, parent and
 * plan, and what the function does not carry.
 */
export function placement(prev: ServiceRow | undefined, parentId: number, tariffId: number): Pick<NewService, 'status'> & Partial<NewService> {
  return prev
    ? { status: prev.status, parentId: prev.parentId, tariffId: prev.tariffId, policyId: prev.policyId, multipleLinking: prev.multipleLinking,
      schemeId: prev.schemeId, contractType: prev.contractType, dropFromGroup: prev.dropFromGroup }
    : { status: statusOf(parentId, tariffId), parentId: Math.max(0, parentId), tariffId };
}

/**
 * Writes the service row (tariffication catalog), then the part of its type (IP traffic, dial-up ...) in a
 * transaction of its own. They are two catalogs, so a refused part undoes the row: a refusal leaves nothing half-made.
 */
export async function saveServiceWithPart(core: Core, prev: ServiceRow | undefined, s: NewService,
  part: (trx: Knex.Transaction, serviceId: number) => Promise<void>): Promise<number> {
  const cat = engine(core).catalog;
  let id: number;
  if (prev) await cat.editService((id = prev.id), s);
  else id = await cat.addService(s);
  try {
    await core.db!.tx((trx) => part(trx, id));
  } catch (err) {
    if (prev) await cat.editService(id, prev);
    else await cat.removeService(id);
    throw err;
  }
  return id;
}
