import {
  type ConfigValues,
  boolType,
  defineConfig,
  enumType,
  intType,
  ipType,
  logParams,
  metricsParams,
  param,
  pathType,
  section,
  stringType,
  ValueRejected,
  type ValueType,
  coreLinkParams,
} from '@utm5/common';
import { RFW_SYNC_FLAGS, parseRfwSyncFlags, type RfwSyncFlag } from '@utm5/protocol';

/** sync_flags: the manual's colon-joined flags (a comma works too); an unknown one is refused when the file loads. */
const syncFlagsType: ValueType<RfwSyncFlag[]> = {
  kind: 'sync flags',
  allowed: `flags joined by : or , from ${RFW_SYNC_FLAGS.join(', ')}`,
  parse(raw) {
    const r = parseRfwSyncFlags(raw);
    if ('unknown' in r) throw new ValueRejected(`unknown flag '${r.unknown}' (known: ${RFW_SYNC_FLAGS.join(', ')})`);
    return r.flags;
  },
  format: (v) => v.join(':'),
};

/** rfw5.cfg: the manual's configuration table of utm5_rfw, plus UTM5-TS's own parameters (marked as such). */
export const rfwConfig = defineConfig({
  program: 'utm5_rfw',
  defaultFile: '/netup/utm5/rfw5.cfg',
  intro:
    'utm5_rfw configuration (rfw5.cfg). utm5_rfw runs the firewall commands the core renders from its firewall rules ' +
    '(Internet on/off, blocks, bandwidth, ...) for the firewall named rfw_name, each once and in order. A command is ' +
    'an argument vector: it runs as [sudo_path] [firewall_path] arg1 arg2 ... without a shell, so a value holding ' +
    'spaces, quotes or `;` stays one argument. Several utm5_rfw may run on one machine with separate config, pid and ' +
    'state files. The active lines are what `npm start` uses: commands are only appended to a log file.',
  params: {
    ...section('Core link', {
      rfw_name: param(stringType({ nonEmpty: true }), {
        doc:
          'Name of the RFW by which it is known to the core: the Name of a firewall registered in the core ' +
          '(rpcf_put_router, router_ip). The core sends commands only to a registered name.',
        mandatory: true,
        sample: 'rfw-sample',
      }),
      ...coreLinkParams(),
      rfw_login: param(stringType({ nonEmpty: true }), {
        doc: 'Login to access the UTM5 core (a system user; the core has `rfw`).',
        default: 'rfw',
      }),
      rfw_password: param(stringType(), {
        doc:
          "User password to access the billing core. The core's rfw user keeps its default password (rfw) for " +
          'loopback only: change it (rpcf_edit_sys_user) for an RFW on another host.',
        default: 'rfw',
        secret: true,
      }),
      core_tls: param(boolType, {
        doc: 'UTM5-TS: TLS to the core (when utm5.cfg has stream_tls enabled).',
        default: false,
      }),
      rfw_ping_interval: param(intType({ min: 1, max: 3600 }), {
        doc: 'UTM5-TS: seconds between pings to the core (a core silent for three is reconnected).',
        default: 30,
      }),
    }),
    ...section('Firewall', {
      firewall_type: param(enumType(['local', 'cisco'] as const), {
        doc:
          'Firewall type; must conform to the Type of the firewall in the core. local: commands run on this host; ' +
          'cisco: each command is sent over rsh to cisco_ip.',
        default: 'local',
      }),
      sync_flags: param(syncFlagsType, {
        doc:
          'Synchronisation flags, joined by : (or ,): enable, disable, users, iptraffic, dialup, blocks, shaping. ' +
          'After each login the core queues, for this RFW only, the commands of those events for the current state. ' +
          '-s on the command line overrides it.',
        defaultText: 'not set (only the commands cached while away are run)',
      }),
      sudo_path: param(pathType, {
        doc: 'local: the sudo executable, put before firewall_path (e.g. /usr/bin/sudo).',
        defaultText: 'not set',
      }),
      firewall_path: param(pathType, {
        doc:
          'local: the executable controlling the firewall (e.g. /usr/sbin/nft); the command words follow it as ' +
          'arguments. Not set: the first word of each command is the executable.',
        defaultText: 'empty string',
        sample: 'config/rfw/log-command.js',
      }),
      firewall_flush_cmd: param(stringType({ nonEmpty: true }), {
        doc:
          'A command run on every connection and reconnection to the core, before any other command (e.g. to load ' +
          'the base rule set: /usr/sbin/nft -f /etc/utm5/rfw/nftables-setup.nft). Split into words like a rule ' +
          'template (\'...\' and "..." group words) and run without a shell, without sudo_path and firewall_path.',
        defaultText: 'empty string',
      }),
      dont_fork: param(boolType, {
        doc:
          'Run the commands one after another in queue order. Off: up to rfw_parallel at once, while the commands ' +
          "of one customer's address (one order key) still run in order. Recommended for iptables.",
        default: false,
      }),
      cisco_ip: param(ipType, {
        doc: 'cisco: IP address to send the rsh commands to (mandatory for firewall_type=cisco).',
      }),
      cisco_login: param(stringType({ nonEmpty: true }), {
        doc:
          'UTM5-TS, cisco: the remote login for rsh -l (the Login of the firewall in the core). The local login is the ' +
          'user utm5_rfw runs as (netup in UTM5): the router must trust that user from this host.',
        default: 'netup',
      }),
      rsh_path: param(pathType, {
        doc: 'UTM5-TS, cisco: the rsh executable.',
        default: 'rsh',
      }),
    }),
    ...section('Execution (UTM5-TS)', {
      rfw_parallel: param(intType({ min: 1, max: 256 }), {
        doc: 'How many commands run at once when dont_fork is off.',
        default: 8,
      }),
      command_timeout: param(intType({ min: 1, max: 3600 }), {
        doc: 'Seconds a command may run; then it is killed and counts as a failed attempt.',
        default: 30,
      }),
      command_retries: param(intType({ min: 0, max: 100 }), {
        doc:
          'How many times a failed command (non-zero exit, cannot start, timeout) is run again before it is reported ' +
          "to the core as 'failed'.",
        default: 3,
      }),
      retry_backoff_ms: param(intType({ min: 1, max: 600000 }), {
        doc: 'Milliseconds before the first retry; each next retry waits twice as long (at most 60 s).',
        default: 500,
      }),
      rfw_state_file: param(pathType, {
        file: 'state',
        doc:
          'The last command run (its queue number), so a command the core resends after a lost reply is not run ' +
          'twice. One per rfw_name: two RFWs on a machine need two files.',
        default: '/netup/utm5/rfw-state.json',
        sample: 'var/rfw-sample.state.json',
      }),
    }),
    ...section('Monitoring (UTM5-TS)', {
      rfw_stats_file: param(pathType, {
        doc:
          'A file rewritten every second with the counters as JSON: commands ok, failed, duplicate, retries, running, ' +
          'batches, the last run seq, and whether the core is connected.',
      }),
    }),
    ...logParams('utm5_rfw'),
    ...metricsParams(9104),
    ...section('Process', {
      pid_file: param(pathType, {
        doc: 'PID file (-p on the command line overrides it).',
        default: '/var/run/utm5_rfw.pid',
        sample: 'var/utm5_rfw.pid',
      }),
    }),
  },
});

export type RfwConfig = ConfigValues<typeof rfwConfig.params>;
