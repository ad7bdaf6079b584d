import {
  boolType, cidrType, defineConfig, dirType, intType, ipType, logParams,
  metricsParams, param, pathType, portType, repeatedParam, section,
  sizeType, stringType, timezoneType, type ConfigValues,
} from '@utm5/common';
import { dbParams } from '@utm5/db';

const RESERVED = 'Accepted for compatibility with UTM5 configuration files; not used by this version of UTM5-TS.';

/**
 * utm5.cfg: every parameter of the manual's core tables, plus UTM5-TS's own (marked as such), declared once.
 */
export const coreConfig = defineConfig({
  program: 'utm5_core',
  defaultFile: '/netup/utm5/utm5.cfg',
  intro: 'utm5_core configuration (utm5.cfg). Read once at start; system parameters changed through URFA take ' +
    'effect at once and live in the database. The active lines below are what `npm start` uses: the core on ' +
    'loopback with the embedded SQLite database under ./var. For production point database_type at MySQL/MariaDB ' +
    'and use absolute paths.',
  params: {
    ...dbParams,
    ...section('URFA', {
      urfa_bind_host: repeatedParam(ipType, { listen: { port: 'urfa_bind_port' },
        doc: 'Address the URFA server listens on; one line per address. Without any, the URFA server is disabled.',
        defaultText: 'server is disabled',
        sample: '127.0.0.1',
      }),
      urfa_bind_port: param(intType({ min: 1, max: 65534 }), {
        doc: 'The port that the URFA server listens on.',
        default: 11758,
      }),
      urfa_max_connections: param(intType({ min: 1, max: 100000 }), {
        doc: 'UTM5-TS: at most this many URFA connections at once; further ones are closed at accept and logged.',
        default: 1000,
      }),
      urfa_plain_allowed: repeatedParam(cidrType, {
        doc: 'UTM5-TS: networks allowed to use URFA without TLS (SSL modes 0-4; modes 1-4 need SSLv3/RC4, which ' +
          'modern OpenSSL lacks, so they are served plain). Other peers must use TLS (modes 5 and 6). One per line.',
        default: [{ network: '127.0.0.0', bits: 8 }, { network: '::1', bits: 128 }],
      }),
      urfa_login_timeout: param(intType({ min: 1, max: 600 }), {
        doc: 'UTM5-TS: seconds a new URFA or Stream connection has to complete its login before it is closed.',
        default: 10,
      }),
      urfa_idle_timeout: param(intType({ min: 10, max: 86400 }), {
        doc: 'UTM5-TS: seconds a logged-in URFA connection may stay idle before it is closed.',
        default: 1800,
      }),
      urfa_session_timeout: param(intType({ min: 60, max: 2592000 }), {
        doc: "Seconds of idle time after which a customer's session id (SID) can no longer be restored.",
        default: 3600,
      }),
    }),
    ...section('Stream', {
      stream_bind_host: param(ipType, { listen: { port: 'stream_bind_port', tlsBy: 'stream_tls' },
        doc: 'Address the Stream server (links of utm5_radius, utm5_rfw, utm5_dhcp, utm5_traffic_collector) listens on.',
        default: '0.0.0.0',
        sample: '127.0.0.1',
      }),
      stream_bind_port: param(intType({ min: 1, max: 65534 }), {
        doc: 'Port listening to Stream requests.',
        default: 12758,
      }),
      stream_max_connections: param(intType({ min: 1, max: 10000 }), {
        doc: 'UTM5-TS: at most this many Stream connections at once.',
        default: 256,
      }),
      stream_tls: param(boolType, {
        doc: 'UTM5-TS: Stream links use TLS (with the URFA certificate); daemons must then set core_tls=enable.',
        default: false,
      }),
      stream_silence_timeout: param(intType({ min: 5, max: 3600 }), {
        doc: 'UTM5-TS: a daemon link that sends nothing (not even a ping) for this many seconds is closed.',
        default: 120,
      }),
      rfw_queue_keep_hours: param(intType({ min: 1, max: 8760 }), {
        doc: 'How long firewall commands wait for a disconnected utm5_rfw before they expire (the manual: 24 hours).',
        default: 24,
      }),
    }),
    ...section('NXT and IPTV', {
      nxt_bind_host: param(ipType, { doc: `IP address of the server listening to NXT v.1. ${RESERVED}`, default: '0.0.0.0' }),
      nxt_bind_port: param(intType({ min: 1, max: 65534 }), { doc: `Port listening to NXT v.1. ${RESERVED}`, default: 11777 }),
      nxt_v2_bind_host: param(ipType, { doc: `IP address of the server listening to NXT v.2. ${RESERVED}`, default: '0.0.0.0' }),
      nxt_v2_bind_port: param(intType({ min: 1, max: 65534 }), { doc: `Port listening to NXT v.2. ${RESERVED}`, default: 11778 }),
      iptv_cluster_host: param(ipType, { doc: `NetUP IPTV cluster core IP address. ${RESERVED}` }),
      iptv_cluster_port: param(intType({ min: 1, max: 65534 }), { doc: `Port of the IPTV cluster core. ${RESERVED}`, default: 50500 }),
    }),
    ...section('NetFlow buffer', {
      nfbuffer_enable: param(boolType, {
        doc: 'UTM5-TS: run the built-in NetFlow receiver (the System traffic collector inside the core). It counts ' +
          'traffic like utm5_traffic_collector but keeps its aggregates in memory between commits and writes no raw ' +
          'files; for crash-safe buffering, raw files or several collectors run utm5_traffic_collector instead ' +
          '(not both on one port).',
        default: false,
      }),
      nfbuffer_host: param(ipType, { listen: { port: 'nfbuffer_port', enabledBy: 'nfbuffer_enable' }, doc: 'IP address the built-in NetFlow receiver listens on.', default: '0.0.0.0' }),
      nfbuffer_port: param(portType, { doc: 'Port the built-in NetFlow receiver listens on.', default: 9997 }),
      nfbuffer_bufsize: param(sizeType({ min: 4096 }), {
        doc: 'Size of the UDP socket receive buffer for NetFlow (raise net.core.rmem_max for a large one).',
        defaultText: 'set by OS',
      }),
    }),
    ...section('Traffic counting', {
      classifier_traffic_file: param(pathType, {
        doc: `File to store traffic information not yet charged when the core stops. ${RESERVED}`,
        default: '/netup/utm5/db/traffic.dat',
        sample: 'var/traffic.dat',
      }),
    }),
    ...section('Documents', {
      doc_path: param(dirType, { doc: `Directory of the *.odt document templates. ${RESERVED}`, default: '/netup/utm5/doc', sample: 'templates' }),
      tmp_path: param(dirType, { doc: `Temporary files storage. ${RESERVED}`, default: '/tmp' }),
      libreoffice_path: param(pathType, { doc: `LibreOffice executable path (PDF conversion). ${RESERVED}`, default: '/usr/bin/libreoffice' }),
      max_upload_size: param(intType({ min: 1 }), {
        doc: `Maximum size in bytes of a document template / contract file for upload. ${RESERVED}`,
        default: 1000000,
      }),
    }),
    ...logParams('utm5_core'),
    ...metricsParams(9101),
    ...section('Process', {
      core_pid_file: param(pathType, { doc: 'PID file (-p on the command line overrides it).', default: '/var/run/utm5_core.pid', sample: 'var/utm5_core.pid' }),
      thread_stack_size: param(intType({ min: 65536 }), { doc: `Business logic thread stack size. ${RESERVED}`, default: 8388608 }),
      rpc_stack_size: param(intType({ min: 65536 }), { doc: `URFA server thread stack size. ${RESERVED}` }),
      timezone: param(timezoneType, {
        doc: "UTM5-TS: the billing time zone, in which time ranges, working days and period boundaries are evaluated.",
        defaultText: "the system's time zone",
      }),
      test_clock: param(boolType, {
        doc: 'UTM5-TS: enable the test clock. The core\'s clock then moves only when an administrator sets or advances ' +
          'it through URFA, and everything scheduled runs as it moves. For test installations only; logged at start.',
        default: false,
      }),
      secret_key_file: param(pathType, { file: 'key',
        doc: 'UTM5-TS: key file that encrypts stored secrets (system users\' passwords, which CHAP needs in clear). ' +
          'Created with mode 0600 on first start; back it up with the database.',
        default: '/netup/utm5/utm5.key',
        sample: 'var/utm5.key',
      }),
    }),
    ...section('Certificates', {
      ssl_cert_file: param(pathType, {
        doc: 'Certificate file for URFA over TLS. Generated (self-signed) on first start when missing.',
        default: '/netup/utm5/cert.crt',
        sample: 'var/cert.crt',
      }),
      ssl_privkey_file: param(pathType, { file: 'key',
        doc: 'Private key file of the certificate. Generated on first start when missing.',
        default: '/netup/utm5/privkey.pem',
        sample: 'var/privkey.pem',
      }),
      ssl_privkey_passphrase: param(stringType(), { doc: 'Private key password.', default: '', secret: true }),
    }),
    ...section('REST API', {
      rest_api_port: param(intType({ min: 1, max: 65535 }), { doc: `The port the REST API server listens on. ${RESERVED}`, default: 9080 }),
      rest_api_thread_count: param(intType({ min: 1, max: 65535 }), { doc: `Number of REST API service threads. ${RESERVED}`, default: 2 }),
    }),
  },
});

export type CoreConfig = ConfigValues<typeof coreConfig.params>;
