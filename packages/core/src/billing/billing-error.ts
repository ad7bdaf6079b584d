import { UtmError } from '@utm5/common';

/** The catalogue of billing refusals; messages name the object and say what would be accepted. */
export const BillingErrorCodes = {
  UTM_NO_USER: 'no such user',
  UTM_NO_ACCOUNT: 'no such account',
  UTM_NO_PAYMENT: 'no such payment',
  UTM_LOGIN_TAKEN: 'the login is taken',
  UTM_BAD_INPUT: 'a value is outside what is allowed',
  UTM_NO_CURRENCY: 'no such currency',
  UTM_NO_METHOD: 'no such payment method',
  UTM_ROLLBACK_REFUSED: 'this payment cannot be rolled back',
  UTM_NOT_ALLOWED: 'the operation is not available to this user',
  UTM_NOT_OWNER: 'the object belongs to another dealer',
  UTM_CARD_REFUSED: 'the card cannot be used',
  UTM_IN_USE: 'the object is in use',
} as const;

export type BillingErrorCode = keyof typeof BillingErrorCodes;

export class BillingError extends UtmError {
  constructor(code: BillingErrorCode, message: string) {
    super(code, message);
  }
}

/** The refusal of a value outside what is allowed: the one most validators raise, so it has one constructor. */
export function badInput(message: string): BillingError {
  return new BillingError('UTM_BAD_INPUT', message);
}
