/**
 * The predefined payment methods (ids below 100, not editable). User methods get ids from 100 up.
 * The manual names cash, wire transfer, card payment, credit and rollback; the rest are the internal methods
 * the billing itself records payments with.
 */
export const PREDEFINED_PAYMENT_METHODS = [
  { id: 1, name: 'Cash' },
  { id: 2, name: 'Wire transfer' },
  { id: 3, name: 'Card payment' },
  { id: 4, name: 'Credit' },
  { id: 5, name: 'Rollback' },
  { id: 6, name: 'Prepaid card' },
  { id: 7, name: 'Promised payment' },
  { id: 8, name: 'Transfer between accounts' },
  { id: 9, name: 'External payment system' },
] as const;

export const FIRST_USER_PAYMENT_METHOD_ID = 100;

export const PAYMENT_METHOD = {
  CASH: 1,
  WIRE_TRANSFER: 2,
  CARD: 3,
  CREDIT: 4,
  ROLLBACK: 5,
  PREPAID_CARD: 6,
  PROMISED: 7,
  TRANSFER: 8,
  EXTERNAL: 9,
} as const;
