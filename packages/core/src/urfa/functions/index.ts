import type { CoreFunction } from '../core-function';
import * as info from './info';
import * as sysusers from './system-users';
import * as clock from './test-clock';
import * as services from './system-services';
import * as params from './system-parameters';
import * as echo from './echo';
import * as archive from './archive';
import { BILLING_FUNCTIONS } from './billing/index';
import { TARIFFICATION_FUNCTIONS } from './tariffication/index';
import { TRAFFIC_FUNCTIONS } from './traffic/index';
import { RADIUS_FUNCTIONS } from './radius/index';
import { TELEPHONY_FUNCTIONS } from './telephony/index';
import { RFW_FUNCTIONS } from './rfw/index';
import { DHCP_FUNCTIONS } from './dhcp/index';
import { DOCUMENTS_FUNCTIONS } from './documents/index';
import { MAIL_FUNCTIONS } from './notifications/index';

/** Every URFA function the core serves; api.xml is generated from this list. */
export const ALL_FUNCTIONS: readonly CoreFunction[] = [
  ...Object.values(info),
  ...Object.values(sysusers),
  ...Object.values(clock),
  ...Object.values(services),
  ...Object.values(params),
  ...Object.values(echo),
  ...Object.values(archive),
  ...BILLING_FUNCTIONS,
  ...TARIFFICATION_FUNCTIONS,
  ...TRAFFIC_FUNCTIONS,
  ...RADIUS_FUNCTIONS,
  ...TELEPHONY_FUNCTIONS,
  ...RFW_FUNCTIONS,
  ...DHCP_FUNCTIONS,
  ...DOCUMENTS_FUNCTIONS,
  ...MAIL_FUNCTIONS,
];
