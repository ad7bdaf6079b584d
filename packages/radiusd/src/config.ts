import {
  type ConfigValues, boolType, defineConfig, dirType, intType, ipType, logParams, param, pathType, repeatedParam, section, stringType,
} from '@utm5/common';

const RESERVED = 'Accepted for compatibility with UTM5 configuration files; not used by this version of UTM5-TS.';

/** radius5.cfg: the manual's configuration table of utm5_radius, plus UTM5-TS's own parameters (marked as such). */
export const radiusConfig = defineConfig({
  program: 'utm5_radius',
  defaultFile: '/netup/utm5/radius5.cfg',
  intro: 'utm5_radius configuration (radius5.cfg). The RADIUS server authenticates and authorizes users of IP traffic, ' +
    'dial-up and hotspot service links from what the core sends it over Stream (NASes, logins, accounts, limits, ' +
    'prices), and reports sessions to the core. Accounting is written to radius_spool_dir before the NAS is answered, ' +
    'so an answered Accounting-Request is never lost. The active lines are what `npm start` uses.',
  params: {
    ...section('Core link', {
      core_host: param(ipType, { doc: 'IP address of the host on which the UTM5 core is running.', mandatory: true, sample: '127.0.0.1' }),
      core_port: param(intType({ min: 1, max: 65534 }), {
        doc: 'The port where the UTM5 core listens to Stream (stream_bind_port in utm5.cfg).', mandatory: true, sample: '12758',
      }),
      radius_login: param(stringType({ nonEmpty: true }), { doc: 'User login to access the billing core.', default: 'radius' }),
      radius_password: param(stringType(), { doc: 'User password to access the billing core.', default: 'radius', secret: true }),
      radius_ping_interval: param(intType({ min: 1, max: 3600 }), { doc: 'Seconds between pings to the core (and the reconnect pace).', default: 30 }),
    }),
    ...section('RADIUS', {
      radius_auth_host: param(ipType, { doc: 'Host address to receive Access-Requests.', default: '0.0.0.0', sample: '127.0.0.1' }),
      radius_auth_port: param(intType({ min: 1, max: 65534 }), { doc: 'Port for receiving Access-Requests.', default: 1812 }),
      radius_acct_host: param(ipType, { doc: 'Host address for receiving Accounting-Requests.', default: '0.0.0.0', sample: '127.0.0.1' }),
      radius_acct_port: param(intType({ min: 1, max: 65534 }), { doc: 'Port for receiving Accounting-Requests.', default: 1813 }),
      radius_auth_mppe: param(boolType, { doc: 'Generate 128-bit MPPE keys for MS-CHAP v2 authorization.', default: false }),
      radius_auth_vap: param(boolType, {
        doc: 'Blocked accounts may not authorize with the logins of their IP traffic links (IP groups).', default: false,
      }),
      radius_auth_null: param(boolType, {
        doc: 'Accept requests without User-Password when the link\'s password is empty.', default: false,
      }),
      radius_ippool_acct_timeout: param(intType({ min: 1 }), {
        doc: 'Seconds an IP address stays busy after Access-Accept (until the Accounting-Start comes).', default: 30,
      }),
      radius_ippool_timeout: param(intType({ min: 1 }), {
        doc: 'Seconds an IP address stays busy after Accounting-Start (default: until the Stop). Not recommended.',
        defaultText: 'until the Stop packet arrives',
      }),
      radius_default_session_timeout: param(intType({ min: 1 }), {
        doc: 'Session-Timeout (27) sent in Access-Accept for an IP traffic service.', default: 86400,
      }),
      interim_update_interval: param(intType({ min: 61 }), {
        doc: 'Sent as Acct-Interim-Interval (85); a session without Interim-Update for three intervals is closed and its ' +
          'address released.',
        defaultText: 'not set (standard mechanism is used)',
      }),
      radius_nas_port_vpn: repeatedParam(intType({ min: 0 }), { doc: 'NAS-Port-Type (61) values allowed for IP traffic users; one per line.' }),
      radius_nas_port_dialup: repeatedParam(intType({ min: 0 }), { doc: 'NAS-Port-Type (61) values allowed for dial-up users.' }),
      radius_nas_port_hotspot: repeatedParam(intType({ min: 0 }), { doc: 'NAS-Port-Type (61) values allowed for hotspot users.' }),
      radius_nas_port_tel: repeatedParam(intType({ min: 0 }), { doc: `NAS-Port-Type (61) values allowed for telephony users. ${RESERVED}` }),
      radius_callback_avpair_enable: param(boolType, {
        doc: 'Send Cisco-AVPair lcp:callback-dialstring=<callback number> instead of Callback-Number/Callback-Id.', default: false,
      }),
      radius_do_accounting: param(boolType, { doc: `Bill traffic from Acct-*-Octets of Stop requests. ${RESERVED}`, default: false }),
      radius_do_interim_accounting: param(boolType, { doc: `Bill traffic from Stop and Interim-Update requests. ${RESERVED}`, default: false }),
      radius_card_autoadd: param(boolType, {
        doc: 'Register card users at their first Access-Request: an unknown login made of digits is taken as a prepaid card number ' +
          'and its PAP password as the PIN (PAP only); the core registers the card user with the card\'s balance and tariff plan, ' +
          'whose dial-up service gets login = card number and password = PIN, and the user is let in at once. A wrong PIN, a used, ' +
          'blocked or expired card is rejected (the reason is logged, the PIN never). Needs the core connected.',
        default: false,
      }),
      use_closed_sessions_cache: param(boolType, {
        doc: 'Remember closed sessions so a late Stop or Interim-Update does not open them again.', default: false,
      }),
      closed_sessions_cache_size: param(intType({ min: 1 }), { doc: 'How many closed sessions the cache remembers.', default: 100000 }),
      blocked_pool_name: param(stringType({ nonEmpty: true }), { doc: `IP pool for blocked users. ${RESERVED}` }),
      guest_pool_name: param(stringType({ nonEmpty: true }), { doc: `IP pool for guest users. ${RESERVED}` }),
      disconnect_request_timeout: param(intType({ min: 1, max: 600 }), { doc: 'Seconds to wait for a NAS to answer a Disconnect/CoA request.', default: 5 }),
      duplicate_window: param(intType({ min: 1, max: 600 }), {
        doc: 'UTM5-TS: seconds a request from the same NAS with the same identifier and authenticator is a retransmit ' +
          '(it gets the cached answer).',
        default: 30,
      }),
    }),
    ...section('Buffering', {
      radius_spool_dir: param(dirType, {
        doc: 'UTM5-TS: disk buffer of accounting records waiting for the core, and the open sessions (for capacity ' +
          'limits across restarts).',
        default: '/netup/utm5/spool/radius',
        sample: 'var/spool/radius',
      }),
      radius_stats_file: param(pathType, { doc: 'UTM5-TS: a file rewritten every second with the server\'s counters as JSON.' }),
    }),
    ...logParams('utm5_radius'),
    ...section('Process', {
      radius_pid_file: param(pathType, { doc: 'PID file (-p on the command line overrides it).', default: '/var/run/utm5_radius.pid', sample: 'var/utm5_radius.pid' }),
    }),
  },
});

export type RadiusConfig = ConfigValues<typeof radiusConfig.params>;
