import type { CoreFunction } from '../../core-function';
import * as users from './users';
import * as accounts from './accounts';
import * as groups from './groups';
import * as payments from './payments';
import * as currencies from './currencies';
import * as reports from './reports';
import * as customer from './customer';
import * as cards from './cards';
import * as dealers from './dealers';
import { PORTAL_SETTINGS_FUNCTIONS } from './portal-settings';

const fns = (m: Record<string, unknown>): CoreFunction[] =>
  Object.values(m).filter(
    (v): v is CoreFunction => typeof v === 'object' && v !== null && 'schema' in v && 'handler' in v,
  );

/** The URFA functions of billing engine I. */
export const BILLING_FUNCTIONS: readonly CoreFunction[] = [
  ...fns(users),
  ...fns(accounts),
  ...fns(groups),
  ...fns(payments),
  ...fns(currencies),
  ...fns(reports),
  ...fns(customer),
  ...fns(cards),
  ...fns(dealers),
  ...PORTAL_SETTINGS_FUNCTIONS,
];
