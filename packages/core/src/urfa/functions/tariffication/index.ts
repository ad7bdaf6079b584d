import type { CoreFunction } from '../../core-function';
import * as periods from './periods';
import * as services from './services';
import * as slinks from './slinks';
import * as tariffs from './tariffs';
import * as policies from './policies';
import * as coeffSchemes from './coeff-schemes';
import * as timeRanges from './time-ranges';
import * as reports from './reports';

const fns = (m: Record<string, unknown>): CoreFunction[] =>
  Object.values(m).filter(
    (v): v is CoreFunction => typeof v === 'object' && v !== null && 'schema' in v && 'handler' in v,
  );

/** The URFA functions of the tariffication engine (billing engine II). */
export const TARIFFICATION_FUNCTIONS: readonly CoreFunction[] = [
  ...fns(periods),
  ...fns(services),
  ...fns(slinks),
  ...fns(tariffs),
  ...fns(policies),
  ...fns(coeffSchemes),
  ...fns(timeRanges),
  ...fns(reports),
];
