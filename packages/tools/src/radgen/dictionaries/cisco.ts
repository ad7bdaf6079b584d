import { stringRun, type VendorDictionary } from './dictionary';

/**
 * Cisco (9): Cisco-AVPair and the H.323 VoIP attributes the manual's telephony uses (h323-conf-id tells a call
 * from dialup; h323-credit-amount/-time/-return-code/-currency in Access-Accept), plus the common accounting ones.
 * Ids as Cisco's VSA guide and FreeRADIUS's dictionary.cisco number them.
 */
export const CISCO: VendorDictionary = {
  vendor: 'Cisco',
  id: 9,
  attributes: [
    ['Cisco-AVPair', 1, 'string'],
    ['Cisco-NAS-Port', 2, 'string'],
    ...stringRun(23, ['h323-remote-address', 'h323-conf-id', 'h323-setup-time', 'h323-call-origin', 'h323-call-type',
      'h323-connect-time', 'h323-disconnect-time', 'h323-disconnect-cause', 'h323-voice-quality']),
    ['h323-gw-id', 33, 'string'],
    ['h323-incoming-conf-id', 35, 'string'],
    ...stringRun(101, ['h323-credit-amount', 'h323-credit-time', 'h323-return-code', 'h323-prompt-id', 'h323-time-and-day',
      'h323-redirect-number', 'h323-preferred-lang', 'h323-redirect-ip-address', 'h323-billing-model', 'h323-currency']),
    ['Cisco-Multilink-ID', 187, 'integer'],
    ['Cisco-Num-In-Multilink', 188, 'integer'],
    ['Cisco-Pre-Input-Octets', 190, 'integer'],
    ['Cisco-Pre-Output-Octets', 191, 'integer'],
    ['Cisco-Pre-Input-Packets', 192, 'integer'],
    ['Cisco-Pre-Output-Packets', 193, 'integer'],
    ['Cisco-Maximum-Time', 194, 'integer'],
    ['Cisco-Disconnect-Cause', 195, 'integer'],
    ['Cisco-Data-Rate', 197, 'integer'],
    ['Cisco-PreSession-Time', 198, 'integer'],
    ['Cisco-Account-Info', 250, 'string'],
    ['Cisco-Service-Info', 251, 'string'],
    ['Cisco-Command-Code', 252, 'string'],
    ['Cisco-Control-Info', 253, 'string'],
  ],
};
