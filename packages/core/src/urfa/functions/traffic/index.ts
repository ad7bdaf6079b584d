import type { CoreFunction } from '../../core-function';
import * as tclasses from './tclasses';
import * as services from './iptraffic-services';
import * as links from './iptraffic-links';
import * as put from './put-traffic';
import * as report from './traffic-report';
import * as graph from './traffic-graph';
import * as shaping from './shaping';
import * as nfProviders from './nf-providers';

const fns = (m: Record<string, unknown>): CoreFunction[] =>
  Object.values(m).filter(
    (v): v is CoreFunction => typeof v === 'object' && v !== null && 'schema' in v && 'handler' in v,
  );

/** The URFA functions of IP traffic: traffic classes, IP traffic services and links, traffic without addresses, reports, Dynashape, NetFlow providers and collectors. */
export const TRAFFIC_FUNCTIONS: readonly CoreFunction[] = [
  ...fns(tclasses),
  ...fns(services),
  ...fns(links),
  ...fns(put),
  ...fns(report),
  ...fns(graph),
  ...fns(shaping),
  ...fns(nfProviders),
];
