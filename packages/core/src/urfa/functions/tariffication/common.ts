import { BillingError } from '../../../billing/billing-error';
import type { Tariffication } from '../../../tariffication/engine';
import type { HandlerContext } from '../../core-function';

export { micro, money } from '../billing/common';

/** The tariffication engine of a core that runs billing (the URFA functions are only registered with it). */
export function engine(ctx: HandlerContext): Tariffication {
  return ctx.tariffication;
}

/** A coefficient held as micro-units (cost_coef, coeff), from and to a URFA double. */
export const coefE6 = (d: number): number => Math.round(d * 1e6);
export const coef = (e6: number): number => e6 / 1e6;

/**
 * The result code of UTM5's change functions that answer "int result": 0 done; otherwise why it was refused
 * (-1 no such object or a bad value, -2 the object is in use, -3 anything else; the core log has the message).
 */
export function refusal(err: Error): number {
  const code = err instanceof BillingError ? err.code : '';
  return code === 'UTM_IN_USE'
    ? -2
    : code === 'UTM_BAD_INPUT' || code === 'UTM_NO_ACCOUNT' || code === 'UTM_NO_USER'
      ? -1
      : -3;
}

export const RESULT_COMMENT =
  'result: 0 done, -1 no such object or a bad value, -2 the object is in use, -3 refused for another reason (see the core log)';
