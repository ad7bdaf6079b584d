import type { CoreFunction } from '../../core-function';

/** The URFA functions of dhcp, with UTM5 5.3's ids and layouts. */
export const DHCP_FUNCTIONS: readonly CoreFunction[] = [];
