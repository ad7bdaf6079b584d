import type { CoreFunction } from '../../core-function';
import * as fwInfo from './fw-info';
import * as queueReport from './queue-report';
import * as routers from './routers';
import * as rules from './rules';

const fns = (m: Record<string, unknown>): CoreFunction[] =>
  Object.values(m).filter(
    (v): v is CoreFunction => typeof v === 'object' && v !== null && 'schema' in v && 'handler' in v,
  );

/**
 * The URFA functions of firewall rules and firewalls (routers): rpcf_get_fwrules_list_new .. rpcf_del_fwrule_new,
 * rpcf_get_fw_events, rpcf_get_fw_subst, rpcf_get_routers_list, rpcf_put_router, rpcf_del_router, and the extension rpcf_rfw_queue_report.
 */
export const RFW_FUNCTIONS: readonly CoreFunction[] = [
  ...fns(rules),
  ...fns(fwInfo),
  ...fns(routers),
  ...fns(queueReport),
];
