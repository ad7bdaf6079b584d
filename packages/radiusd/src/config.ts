import {
  type ConfigValues,
  boolType,
  defineConfig,
  dirType,
  intType,
  ipType,
  logParams,
  metricsParams,
  param,
  pathType,
  repeatedParam,
  section,
  stringType,
  coreLinkParams,
} from '@utm5/common';

const RESERVED = 'Accepted for compatibility with UTM5 configuration files; not used by this version of UTM5-TS.';

/** radius5.cfg: the manual's configuration table of utm5_radius, plus UTM5-TS's own parameters (marked as such). */
export const radiusConfig = defineConfig({
  program: 'utm5_radius',
  defaultFile: '/netup/utm5/radius5.cfg',
  intro:
    'utm5_radius configuration (radius5.cfg). The RADIUS server authenticates and authorizes users of IP traffic, ' +
    'dial-up, hotspot and telephony service links from what the core sends it over Stream (NASes, logins, accounts, limits, ' +
    'prices), and reports sessions to the core. Accounting is written to radius_spool_dir before the NAS is answered, ' +
    'so an answered Accounting-Request is never lost. The active lines are what `npm start` uses.',
  params: {
    ...section('Core link', {
      ...coreLinkParams(),
      radius_login: param(stringType({ nonEmpty: true }), {
        doc: 'User login to access the billing core.',
        default: 'radius',
      }),
      radius_password: param(stringType(), {
        doc: 'User password to access the billing core.',
        default: 'radius',
        secret: true,
      }),
      radius_ping_interval: param(intType({ min: 1, max: 3600 }), {
        doc: 'Seconds between pings to the core (and the reconnect pace).',
        default: 30,
      }),
    }),
    ...section('RADIUS', {
      radius_auth_host: param(ipType, {
        listen: { port: 'radius_auth_port' },
        doc: 'Host address to receive Access-Requests.',
        default: '0.0.0.0',
        sample: '127.0.0.1',
      }),
      radius_auth_port: param(intType({ min: 1, max: 65534 }), {
        doc: 'Port for receiving Access-Requests.',
        default: 1812,
      }),
      radius_acct_host: param(ipType, {
        listen: { port: 'radius_acct_port' },
        doc: 'Host address for receiving Accounting-Requests.',
        default: '0.0.0.0',
        sample: '127.0.0.1',
      }),
      radius_acct_port: param(intType({ min: 1, max: 65534 }), {
        doc: 'Port for receiving Accounting-Requests.',
        default: 1813,
      }),
      radius_auth_mppe: param(boolType, {
        doc: 'Generate 128-bit MPPE keys for MS-CHAP v2 authorization.',
        default: false,
      }),
      radius_auth_vap: param(boolType, {
        doc: 'Blocked accounts may not authorize with the logins of their IP traffic links (IP groups).',
        default: false,
      }),
      radius_auth_null: param(boolType, {
        doc: "Accept requests without User-Password when the link's password is empty.",
        default: false,
      }),
      radius_ippool_acct_timeout: param(intType({ min: 1 }), {
        doc: 'Seconds an IP address stays busy after Access-Accept (until the Accounting-Start comes).',
        default: 30,
      }),
      radius_ippool_timeout: param(intType({ min: 1 }), {
        doc: 'Seconds an IP address stays busy after Accounting-Start (default: until the Stop). Not recommended.',
        defaultText: 'until the Stop packet arrives',
      }),
      radius_default_session_timeout: param(intType({ min: 1 }), {
        doc: 'Session-Timeout (27) sent in Access-Accept for an IP traffic service.',
        default: 86400,
      }),
      interim_update_interval: param(intType({ min: 61 }), {
        doc:
          'Sent as Acct-Interim-Interval (85); a session without Interim-Update for three intervals is closed and its ' +
          'address released.',
        defaultText: 'not set (standard mechanism is used)',
      }),
      radius_nas_port_vpn: repeatedParam(intType({ min: 0 }), {
        doc: 'NAS-Port-Type (61) values allowed for IP traffic users; one per line.',
      }),
      radius_nas_port_dialup: repeatedParam(intType({ min: 0 }), {
        doc: 'NAS-Port-Type (61) values allowed for dial-up users.',
      }),
      radius_nas_port_hotspot: repeatedParam(intType({ min: 0 }), {
        doc: 'NAS-Port-Type (61) values allowed for hotspot users.',
      }),
      radius_callback_avpair_enable: param(boolType, {
        doc: 'Send Cisco-AVPair lcp:callback-dialstring=<callback number> instead of Callback-Number/Callback-Id.',
        default: false,
      }),
      radius_do_accounting: param(boolType, {
        doc:
          'Bill IP traffic from Stop requests, for NASes that do not export NetFlow: the core turns Acct-Input-Octets ' +
          "(+ Gigawords) into traffic from the NAS to the session's Framed-IP-Address and Acct-Output-Octets into traffic " +
          'from that address to the NAS, classifies both like NetFlow and charges the IP traffic link whose IP group ' +
          'holds the address. Counters are cumulative: only what was not billed for the session yet is billed.',
        default: false,
      }),
      radius_do_interim_accounting: param(boolType, {
        doc:
          'As radius_do_accounting, from Interim-Update requests as well as Stops (traffic is billed as the session ' +
          'goes; each Interim-Update bills the growth of the counters since the last billed request).',
        default: false,
      }),
      radius_card_autoadd: param(boolType, {
        doc:
          'Register card users at their first Access-Request: an unknown login made of digits is taken as a prepaid card number ' +
          "and its PAP password as the PIN (PAP only); the core registers the card user with the card's balance and tariff plan, " +
          'whose dial-up service gets login = card number and password = PIN, and the user is let in at once. A wrong PIN, a used, ' +
          'blocked or expired card is rejected (the reason is logged, the PIN never). Needs the core connected.',
        default: false,
      }),
      use_closed_sessions_cache: param(boolType, {
        doc: 'Remember closed sessions so a late Stop or Interim-Update does not open them again.',
        default: false,
      }),
      closed_sessions_cache_size: param(intType({ min: 1 }), {
        doc: 'How many closed sessions the cache remembers.',
        default: 100000,
      }),
      blocked_pool_name: param(stringType({ nonEmpty: true }), {
        doc:
          'Name of the IP pool to provide addresses for blocked users (in case those are entitled to some limited ' +
          'Internet access): a blocked dial-up/hotspot user is let in with an address of this pool instead of rejected, ' +
          'and the time is not charged. Not set: blocked users are rejected.',
      }),
      guest_pool_name: param(stringType({ nonEmpty: true }), {
        doc:
          'Name of the IP pool to provide addresses for guest users: a login the billing does not know is let in with ' +
          'an address of this pool (e.g. to reach the card registration page). Not set: unknown logins are rejected.',
      }),
      named_pool_shuffle: param(boolType, {
        doc:
          'Give addresses from a random one of the IP pools sharing a name. Off: each pool in turn until it runs out, ' +
          'in the order they were added.',
        default: false,
      }),
      dac_bind_host: param(ipType, {
        doc:
          'Local address utm5_radius sends Disconnect/CoA requests (RFC 5176) from and takes their answers on. 0.0.0.0: ' +
          'any (the system picks by route).',
        default: '0.0.0.0',
      }),
      disconnect_request_timeout: param(intType({ min: 1, max: 600 }), {
        doc:
          'Seconds to wait for a NAS to answer a Disconnect/CoA request; within them the request is sent up to three ' +
          'times (UDP may lose it or the answer).',
        default: 5,
      }),
      override_service_type: param(boolType, {
        doc:
          "Treat the Service-Type of incoming requests as Framed. UTM5-TS authorizes by the link, not by the request's " +
          'Service-Type, so requests are handled alike either way.',
        default: false,
      }),
      duplicate_window: param(intType({ min: 1, max: 600 }), {
        doc:
          'UTM5-TS: seconds a request from the same NAS with the same identifier and authenticator is a retransmit ' +
          '(it gets the cached answer).',
        default: 30,
      }),
    }),
    ...section('EAP-TTLS', {
      tls_certificate_path: param(pathType, {
        doc: `Path to the certificate file when using EAP-TTLS. ${RESERVED} EAP-TTLS is not supported.`,
      }),
      tls_private_key_path: param(pathType, {
        file: 'key',
        doc: `Path to the private key file when using EAP-TTLS. ${RESERVED} EAP-TTLS is not supported.`,
      }),
    }),
    ...section('Telephony (Cisco h323: requests carrying h323-conf-id; the others are dial-up)', {
      radius_auth_h323_remote_address: param(boolType, {
        doc:
          'Telephony Access-Requests are authenticated by the value of h323-remote-address (9;23) instead of ' +
          "User-Name (1): that value is the login looked up in the telephony service links' numbers.",
        default: false,
      }),
      radius_auth_tel_ext_reg: param(boolType, {
        doc:
          'An Access-Request whose Calling-Station-Id equals its Called-Station-Id is a registration too (without it, ' +
          'only a request without Called-Station-Id is).',
        default: false,
      }),
      radius_nas_port_tel: repeatedParam(intType({ min: 0 }), {
        doc: 'NAS-Port-Type (61) values allowed for telephony requests; one per line. Not set: no check.',
      }),
      radius_acct_rewrite_login_answer: param(boolType, {
        doc:
          'The login of an Accounting-Request whose h323-call-origin (9;26) is answer is taken from its ' +
          "h323-remote-address (9;23, the manual's h323-call-address) instead of User-Name.",
        default: false,
      }),
      radius_acct_rewrite_login_originate: param(boolType, {
        doc:
          'The login of an Accounting-Request whose h323-call-origin (9;26) is originate is taken from its ' +
          'h323-remote-address (9;23) instead of User-Name.',
        default: false,
      }),
      h323_origin_reject: param(stringType({ nonEmpty: true }), {
        doc:
          'Calls whose Accounting-Request has h323-call-origin (9;26) equal to this value (e.g. answer, the incoming ' +
          'leg of a gateway that reports both legs) are recorded at zero cost.',
      }),
      h323_return_code_positive: param(boolType, {
        doc:
          'A refused registration (no Called-Station-Id) is answered with Access-Accept carrying h323-return-code 1 ' +
          '(no such user) or 2 (blocked) instead of Access-Reject, for IVR scripts that read the code only from an ' +
          'accepted answer. A refused call authorization is always an Access-Reject.',
        default: false,
      }),
      h323_currency: param(stringType({ nonEmpty: true }), {
        doc: 'Currency code sent as h323-currency (9;110) with the balance (h323-credit-amount) in Access-Accept.',
        default: 'USD',
      }),
      send_xpgk_ep_number: param(stringType({ nonEmpty: true }), {
        doc: "Any value: telephony Access-Accepts carry Cisco-AVPair xpgk-ep-number=<the link's numbers, ;-separated>.",
        defaultText: 'not set (numbers not sent)',
      }),
      send_h323_ivr_in: param(stringType({ nonEmpty: true }), {
        doc:
          "Any value: telephony Access-Accepts carry Cisco-AVPair h323-ivr-in=terminal-alias:<the link's numbers, " +
          ';-separated>.',
        defaultText: 'not set (numbers not sent)',
      }),
      incoming_trunk_format: param(stringType({ nonEmpty: true }), {
        doc:
          "Where a call's incoming trunk is read: vendor_id:attribute_id:regexp (vendor 0: standard attributes); the " +
          "regexp's first group, else its whole match, of the first value that matches. E.g. 9:1:^in-trunk-group-label=(.*)$.",
        defaultText: 'not set (no trunk)',
      }),
      outgoing_trunk_format: param(stringType({ nonEmpty: true }), {
        doc: "Where a call's outgoing trunk is read: vendor_id:attribute_id:regexp, as incoming_trunk_format.",
        defaultText: 'not set (no trunk)',
      }),
      pbx_id_format: param(stringType({ nonEmpty: true }), {
        doc: "Where a call's PBX id is read: vendor_id:attribute_id:regexp, as incoming_trunk_format.",
        defaultText: 'not set (no PBX id)',
      }),
      tel_session_timeout: param(intType({ min: 1 }), {
        doc:
          'Maximum duration of a VoIP session, seconds: h323-credit-time never exceeds it (a round-the-clock ' +
          'service with an unlimited account gets this), and a call started longer ago without a Stop no longer ' +
          'counts towards the simultaneous-call limits.',
        default: 86400,
      }),
    }),
    ...section('Buffering', {
      radius_spool_dir: param(dirType, {
        file: 'state',
        doc:
          'UTM5-TS: disk buffer of accounting records waiting for the core, and the open sessions (for capacity ' +
          'limits across restarts).',
        default: '/netup/utm5/spool/radius',
        sample: 'var/spool/radius',
      }),
      radius_stats_file: param(pathType, {
        doc: "UTM5-TS: a file rewritten every second with the server's counters as JSON.",
      }),
    }),
    ...logParams('utm5_radius'),
    ...metricsParams(9102),
    ...section('Process', {
      radius_pid_file: param(pathType, {
        doc: 'PID file (-p on the command line overrides it).',
        default: '/var/run/utm5_radius.pid',
        sample: 'var/utm5_radius.pid',
      }),
    }),
  },
});

export type RadiusConfig = ConfigValues<typeof radiusConfig.params>;
