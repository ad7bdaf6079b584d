import type { CoreFunction } from '../../core-function';
import * as zones from './zones';
import * as directions from './directions';
import * as services from './services';
import * as links from './links';
import * as emergency from './emergency';
import * as calls from './calls';
import * as reports from './reports';

const fns = (m: Record<string, unknown>): CoreFunction[] =>
  Object.values(m).filter(
    (v): v is CoreFunction => typeof v === 'object' && v !== null && 'schema' in v && 'handler' in v,
  );

/**
 * The URFA functions of telephony: zones, directions, telephony services and links with their numbers, emergency
 * zones, calls (rpcf_put_tel_call and utm5_send_cdr's batches), the telephony reports.
 */
export const TELEPHONY_FUNCTIONS: readonly CoreFunction[] = [
  ...fns(zones),
  ...fns(directions),
  ...fns(services),
  ...fns(links),
  ...fns(emergency),
  ...fns(calls),
  ...fns(reports),
];
