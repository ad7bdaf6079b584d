import type { NewService, ServicePart } from '../../../tariffication/catalog';
import type { ServiceRow } from '../../../tariffication/model';
import { engine } from './common';
import { statusOf } from './services';
import type { HandlerContext } from '../../core-function';

/**
 * Where a service of an add-or-edit function (service_id 0 adds) sits: an added one by parent_id and tariff_id (-1 a
 * template, tariff_id > 0 a plan service made from template parent_id); an edited one keeps its status, parent and
 * plan, and what the function does not carry.
 */
export function placement(
  prev: ServiceRow | undefined,
  parentId: number,
  tariffId: number,
): Pick<NewService, 'status'> & Partial<NewService> {
  return prev
    ? {
        status: prev.status,
        parentId: prev.parentId,
        tariffId: prev.tariffId,
        policyId: prev.policyId,
        multipleLinking: prev.multipleLinking,
        schemeId: prev.schemeId,
        contractType: prev.contractType,
        dropFromGroup: prev.dropFromGroup,
      }
    : { status: statusOf(parentId, tariffId), parentId: Math.max(0, parentId), tariffId };
}

/** Writes the service row, then the part of its type (IP traffic, dial-up ...); a refused part undoes the row. */
export function saveServiceWithPart(
  ctx: HandlerContext,
  prev: ServiceRow | undefined,
  s: NewService,
  part: ServicePart,
): Promise<number> {
  return engine(ctx).catalog.saveServiceWithPart(prev, s, part);
}
