import {
  type ConfigValues,
  dirType,
  defineConfig,
  intType,
  ipType,
  logParams,
  metricsParams,
  param,
  pathType,
  section,
  sizeType,
  stringType,
} from '@utm5/common';

/** utm5_traffic_collector.cfg: the manual's configuration table, plus UTM5-TS's own parameters (marked as such). */
export const collectorConfig = defineConfig({
  program: 'utm5_traffic_collector',
  defaultFile: '/netup/utm5/utm5_traffic_collector.cfg',
  intro:
    'utm5_traffic_collector configuration. The collector receives NetFlow v5/v7/v9/IPFIX, classifies it with the ' +
    "core's traffic classes, counts it to service links by their IP groups, and sends the aggregates to utm5_core over " +
    'Stream. Batches are written to tc_spool_dir before they are sent and removed when the core has committed them, so ' +
    'traffic survives a core that is down and a collector restart. Its other properties (raw files, commit interval, ' +
    'multiplier, NetFlow providers) are set on the core, per collector name (Traffic collectors). The active lines are ' +
    'what `npm start` uses.',
  params: {
    ...section('Core link', {
      core_host: param(ipType, { doc: 'IP address of the UTM5 core host.', default: '127.0.0.1' }),
      core_port: param(intType({ min: 1, max: 65534 }), {
        doc: 'The port where the UTM5 core listens to Stream (stream_bind_port in utm5.cfg).',
        default: 12758,
      }),
      tc_login: param(stringType({ nonEmpty: true }), {
        doc: 'System user the collector logs in to the core as.',
        default: 'collector',
      }),
      tc_password: param(stringType(), { doc: 'Password of tc_login.', default: 'collector', secret: true }),
      tc_name: param(stringType({ nonEmpty: true }), {
        doc:
          'A unique traffic collector name; must match a collector registered on the core (Traffic collectors). ' +
          'The System traffic collector is called traffic_collector.',
        default: 'traffic_collector',
      }),
      stream_ping_interval: param(intType({ min: 1, max: 600 }), {
        doc: 'UTM5-TS: seconds between pings to the core; a core silent for three intervals is reconnected.',
        default: 10,
      }),
    }),
    ...section('NetFlow', {
      nfbuffer_host: param(ipType, {
        listen: { port: 'nfbuffer_port' },
        doc: 'IP address of the server listening to NetFlow.',
        default: '0.0.0.0',
        sample: '127.0.0.1',
      }),
      nfbuffer_port: param(intType({ min: 1, max: 65535 }), { doc: 'Port listening to NetFlow.', default: 9997 }),
      nfbuffer_bufsize: param(sizeType({ min: 4096 }), {
        doc:
          'Size of the UDP socket receive buffer (bytes). Raise net.core.rmem_max to let the OS grant a large one; ' +
          'the size granted is logged at start.',
        defaultText: 'set by OS',
      }),
      template_timeout: param(intType({ min: 10, max: 86400 }), {
        doc: 'UTM5-TS: seconds a NetFlow v9/IPFIX template lives without being refreshed.',
        default: 1800,
      }),
    }),
    ...section('Buffering', {
      tc_spool_dir: param(dirType, {
        file: 'state',
        doc:
          "UTM5-TS: directory of the disk buffer: batches waiting for the core's commit. Keep it on persistent " +
          'storage; it is created if missing.',
        default: '/netup/utm5/spool/traffic_collector',
        sample: 'var/spool/traffic_collector',
      }),
      tc_spool_max: param(intType({ min: 1 }), {
        doc:
          'UTM5-TS: at most this many batches in the disk buffer; beyond it the oldest are dropped with an error ' +
          'in the log (the core has been unreachable for very long).',
        default: 100000,
      }),
      tc_stats_file: param(pathType, {
        doc:
          "UTM5-TS: a file rewritten every second with the collector's counters as JSON (packets, records, " +
          'malformed, classified, aggregated, unaccounted, batches sent/acknowledged, spooled).',
        sample: 'var/utm5_traffic_collector.stats.json',
      }),
      tc_stats_interval_ms: param(intType({ min: 10, max: 3600000 }), {
        doc: 'UTM5-TS: milliseconds between rewrites of tc_stats_file.',
        default: 1000,
      }),
    }),
    ...logParams('utm5_traffic_collector'),
    ...metricsParams(9103),
    ...section('Process', {
      tc_pid_file: param(pathType, {
        doc: 'Traffic collector PID file path (-P on the command line overrides it).',
        default: '/var/run/utm5_traffic_collector.pid',
        sample: 'var/utm5_traffic_collector.pid',
      }),
    }),
  },
});

export type CollectorConfig = ConfigValues<typeof collectorConfig.params>;
