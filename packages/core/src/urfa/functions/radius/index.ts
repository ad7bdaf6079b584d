import type { CoreFunction } from '../../core-function';
import * as nas from './nas';
import * as attrs from './radius-attrs';
import * as dialup from './dialup-services';
import * as hotspot from './hotspot-services';
import * as links from './time-links';
import * as sessions from './active-sessions';
import * as limits from './session-limits';
import * as pools from './ip-pools';
import * as report from './sessions-report';
import * as commands from './session-commands';

const fns = (m: Record<string, unknown>): CoreFunction[] =>
  Object.values(m).filter(
    (v): v is CoreFunction => typeof v === 'object' && v !== null && 'schema' in v && 'handler' in v,
  );

/**
 * The URFA functions of RADIUS: NASes, attributes, dial-up and hotspot services and links, open sessions and their
 * disconnect and drop, capacity limits, IP pools, the sessions report.
 */
export const RADIUS_FUNCTIONS: readonly CoreFunction[] = [
  ...fns(nas),
  ...fns(attrs),
  ...fns(dialup),
  ...fns(hotspot),
  ...fns(links),
  ...fns(sessions),
  ...fns(limits),
  ...fns(pools),
  ...fns(report),
  ...fns(commands),
];
