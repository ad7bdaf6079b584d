import type { VendorTable } from './types';

/**
 * Cisco (9): Cisco-AVPair and the h323-* VoIP attributes the manual's telephony and ISG sections use (h323-conf-id
 * marks a telephony request, h323-credit-time/-amount/-return-code/currency go back to the gateway). Names as in
 * FreeRADIUS's dictionary.cisco; all values are text except the IOS accounting counters.
 */
const TEXT_ATTRIBUTES = [
  [1, 'Cisco-AVPair'], [2, 'Cisco-NAS-Port'],
  [3, 'Cisco-Fax-Account-Id-Origin'], [4, 'Cisco-Fax-Msg-Id'], [5, 'Cisco-Fax-Pages'], [6, 'Cisco-Fax-Coverpage-Flag'],
  [7, 'Cisco-Fax-Modem-Time'], [8, 'Cisco-Fax-Connect-Speed'], [9, 'Cisco-Fax-Recipient-Count'],
  [10, 'Cisco-Fax-Process-Abort-Flag'], [11, 'Cisco-Fax-Dsn-Address'], [12, 'Cisco-Fax-Dsn-Flag'],
  [13, 'Cisco-Fax-Mdn-Address'], [14, 'Cisco-Fax-Mdn-Flag'], [15, 'Cisco-Fax-Auth-Status'],
  [16, 'Cisco-Email-Server-Address'], [17, 'Cisco-Email-Server-Ack-Flag'], [18, 'Cisco-Gateway-Id'],
  [19, 'Cisco-Call-Type'], [20, 'Cisco-Port-Used'], [21, 'Cisco-Abort-Cause'],
  [23, 'h323-remote-address'], [24, 'h323-conf-id'], [25, 'h323-setup-time'], [26, 'h323-call-origin'],
  [27, 'h323-call-type'], [28, 'h323-connect-time'], [29, 'h323-disconnect-time'], [30, 'h323-disconnect-cause'],
  [31, 'h323-voice-quality'], [33, 'h323-gw-id'], [35, 'h323-incoming-conf-id'],
  [37, 'Cisco-Policy-Up'], [38, 'Cisco-Policy-Down'],
  [100, 'sip-conf-id'], [101, 'h323-credit-amount'], [102, 'h323-credit-time'], [103, 'h323-return-code'],
  [104, 'h323-prompt-id'], [105, 'h323-time-and-day'], [106, 'h323-redirect-number'], [107, 'h323-preferred-lang'],
  [108, 'h323-redirect-ip-address'], [109, 'h323-billing-model'], [110, 'h323-currency'], [111, 'subscriber'],
  [112, 'gw-rxd-cdn'], [113, 'gw-final-xlated-cdn'], [114, 'remote-media-address'], [115, 'release-source'],
  [116, 'gw-rxd-cgn'], [117, 'gw-final-xlated-cgn'],
  [141, 'call-id'], [142, 'session-protocol'], [143, 'method'], [144, 'prev-hop-via'], [145, 'prev-hop-ip'],
  [146, 'incoming-req-uri'], [147, 'outgoing-req-uri'], [148, 'next-hop-ip'], [149, 'next-hop-dn'], [150, 'sip-hdr'],
  [151, 'dsp-id'],
  [217, 'Cisco-IP-Pool-Definition'], [249, 'Cisco-Subscriber-Password'], [250, 'Cisco-Account-Info'],
  [251, 'Cisco-Service-Info'], [252, 'Cisco-Command-Code'], [253, 'Cisco-Control-Info'],
] as const;

const INTEGER_ATTRIBUTES = [
  [187, 'Cisco-Multilink-ID'], [188, 'Cisco-Num-In-Multilink'], [190, 'Cisco-Pre-Input-Octets'],
  [191, 'Cisco-Pre-Output-Octets'], [192, 'Cisco-Pre-Input-Packets'], [193, 'Cisco-Pre-Output-Packets'],
  [194, 'Cisco-Maximum-Time'], [195, 'Cisco-Disconnect-Cause'], [197, 'Cisco-Data-Rate'],
  [198, 'Cisco-PreSession-Time'], [208, 'Cisco-PW-Lifetime'], [209, 'Cisco-IP-Direct'], [210, 'Cisco-PPP-VJ-Slot-Comp'],
  [212, 'Cisco-PPP-Async-Map'], [218, 'Cisco-Assign-IP-Pool'], [228, 'Cisco-Route-IP'], [233, 'Cisco-Link-Compression'],
  [234, 'Cisco-Target-Util'], [235, 'Cisco-Maximum-Channels'], [242, 'Cisco-Data-Filter'], [243, 'Cisco-Call-Filter'],
  [244, 'Cisco-Idle-Limit'], [255, 'Cisco-Xmit-Rate'],
] as const;

export const CISCO = {
  id: 9,
  name: 'Cisco',
  attributes: [
    ...TEXT_ATTRIBUTES.map(([type, name]) => [type, name, 'text'] as const),
    ...INTEGER_ATTRIBUTES.map(([type, name]) => [type, name, 'integer'] as const),
  ].sort((a, b) => a[0] - b[0]),
} as const satisfies VendorTable;
