import type { VendorTable } from './types';

/**
 * ADSL-Forum (3561), RFC 4679: what a DSL access node's PPPoE/DHCP relay adds to identify the subscriber line (the
 * agent circuit and remote ids) and report its rates. Names as FreeRADIUS's dictionary.rfc4679.
 */
const RATES = [
  'Actual-Data-Rate-Upstream',
  'Actual-Data-Rate-Downstream',
  'Minimum-Data-Rate-Upstream',
  'Minimum-Data-Rate-Downstream',
  'Attainable-Data-Rate-Upstream',
  'Attainable-Data-Rate-Downstream',
  'Maximum-Data-Rate-Upstream',
  'Maximum-Data-Rate-Downstream',
  'Minimum-Data-Rate-Upstream-Low-Power',
  'Minimum-Data-Rate-Downstream-Low-Power',
  'Maximum-Interleaving-Delay-Upstream',
  'Actual-Interleaving-Delay-Upstream',
  'Maximum-Interleaving-Delay-Downstream',
  'Actual-Interleaving-Delay-Downstream',
] as const;

export const ADSL_FORUM = {
  id: 3561,
  name: 'ADSL-Forum',
  attributes: [
    [1, 'ADSL-Agent-Circuit-Id', 'text'],
    [2, 'ADSL-Agent-Remote-Id', 'text'],
    // 129..142, integers in that order
    ...RATES.map((name, i) => [129 + i, name, 'integer'] as const),
    [144, 'Access-Loop-Encapsulation', 'octets'],
    [252, 'IWF-Session', 'octets'],
  ],
} as const satisfies VendorTable;
