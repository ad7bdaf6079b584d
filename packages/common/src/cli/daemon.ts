import { describeConfig } from '../config/render';
import { loadConfigFile } from '../config/load';
import type { ConfigSchema, ConfigValues, ParamSpec } from '../config/param';
import { errorLine } from '../errors/utm-error';
import { PidFile } from '../lifecycle/pid-file';
import { createLogger, type RootLogger } from '../log/logger';
import type { LogParamValues } from '../log/log-params';
import type { MetricsParamValues } from '../metrics/metrics-params';
import { createDaemonRegistry, MetricsServer, type HealthChecks } from '../metrics/metrics-server';
import type { Registry } from 'prom-client';
import { EXIT, parseDaemonArgs, reportError, reportWarnings, versionLine } from './program';

/** What a daemon's body is to the shared runner: started once, stopped once, told of SIGHUP. */
export interface DaemonBody {
  start(): Promise<void>;
  stop(): Promise<void>;
  hup?(): Promise<void>;
  /** One line for the "started" log entry (e.g. where the database is). */
  describe?(): string;
  /** What /healthz checks beyond "serving" (database reachable, Stream link to the core up). */
  health?(): Promise<HealthChecks> | HealthChecks;
}

export interface DaemonSpec<S extends ParamSpec> {
  readonly program: string;
  readonly description: string;
  readonly schema: ConfigSchema<S>;
  /** The pid file from the configuration (the -P option overrides it). */
  pidFile(config: ConfigValues<S>): string;
  /** Builds the body; it registers its own metrics in `metrics` (served when metrics_bind_port is set). */
  create(config: ConfigValues<S>, log: RootLogger, metrics: Registry): DaemonBody;
}

/**
 * Every UTM5 daemon's entry, declared once: argv (-c, -P, -v), the config file with its warnings, the logger with
 * the config's secrets masked, the pid file, SIGTERM/SIGINT (a second one exits at once), SIGHUP (logs reopened,
 * then the body's hup), and internal errors logged. Resolves with the exit code once the body has stopped.
 */
export async function runDaemon<S extends ParamSpec>(
  spec: DaemonSpec<S>,
  argv: readonly string[] = process.argv,
): Promise<number> {
  const { program } = spec;
  let args;
  try {
    args = parseDaemonArgs(program, spec.description, spec.schema.defaultFile, argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  let loaded;
  try {
    loaded = loadConfigFile(spec.schema, args.config);
  } catch (err) {
    if (args.showVersion) process.stdout.write(`${versionLine(program)}\n`);
    return reportError(program, err);
  }
  reportWarnings(program, loaded.warnings);
  if (args.showVersion) {
    process.stdout.write(
      `${versionLine(program)}\nconfiguration ${args.config}:\n${describeConfig(spec.schema, loaded)}\n`,
    );
    return EXIT.OK;
  }
  const config = loaded.values;

  let log: RootLogger;
  try {
    log = createLogger({ program, params: config as unknown as LogParamValues });
  } catch (err) {
    return reportError(program, new Error(`cannot open log files: ${errorLine(err)}`));
  }
  // A default password is public (the sample config prints it); masking it would only garble names that contain
  // it (the collector's default password is in "utm5_traffic_collector").
  const defaults = new Set(
    Object.values(spec.schema.params as ParamSpec)
      .filter((p) => p.secret)
      .map((p) => String(p.default)),
  );
  for (const s of loaded.secrets) if (!defaults.has(s)) log.addSecret(s);
  for (const w of loaded.warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);

  const pid = new PidFile(args.pidFile ?? spec.pidFile(config));
  try {
    pid.acquire(program);
  } catch (err) {
    log.crit(errorLine(err));
    log.close();
    return reportError(program, err);
  }

  const registry = createDaemonRegistry(program);
  const body = spec.create(config, log, registry);
  let stopping: Promise<void> | undefined;
  const metricsServer = metricsEndpoint(config as unknown as Partial<MetricsParamValues>, registry, log, async () => ({
    daemon: stopping ? { ok: false, reason: 'stopping' } : { ok: true },
    ...(await body.health?.()),
  }));
  let exitCode: number = EXIT.OK;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const shutdown = (why: string, code: number = EXIT.OK) => {
    if (stopping) return stopping;
    exitCode = code;
    log.notice(`${why}: stopping`);
    stopping = (metricsServer?.stop() ?? Promise.resolve())
      .then(() => body.stop())
      .catch((err) => log.error(`stop failed: ${errorLine(err)}`))
      .then(() => {
        log.notice('stopped');
        resolveDone();
      });
    return stopping;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${sig} again while stopping: exiting at once`);
      pid.release();
      process.exit(EXIT.FAILURE);
    }
    void shutdown(sig);
  };
  const onHup = () => {
    log.reopen();
    log.notice('SIGHUP: log files reopened');
    void body.hup?.().catch((err) => log.error(`SIGHUP duty failed: ${errorLine(err)}`));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onHup);
  process.on('uncaughtException', (err) => {
    log.emerg(`internal error: ${err.stack ?? err.message}`);
    void shutdown('internal error', EXIT.FAILURE);
  });
  process.on('unhandledRejection', (err) => {
    log.crit(
      `internal error (unhandled rejection): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  });

  try {
    await body.start();
    await metricsServer?.start();
  } catch (err) {
    log.crit(`cannot start: ${errorLine(err)}`);
    await body.stop().catch(() => undefined);
    pid.release();
    log.close();
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGHUP');
    return reportError(program, err);
  }
  log.notice(`${versionLine(program)} started, pid ${process.pid}${body.describe ? `, ${body.describe()}` : ''}`);
  await done;
  pid.release();
  log.close();
  return exitCode;
}

/** The /metrics and /healthz endpoint when the daemon's configuration turns it on (metrics_bind_port not 0). */
function metricsEndpoint(
  c: Partial<MetricsParamValues>,
  registry: Registry,
  log: RootLogger,
  health: () => Promise<HealthChecks>,
): MetricsServer | undefined {
  if (!c.metrics_bind_port) return undefined;
  return new MetricsServer({
    host: c.metrics_bind_host ?? '127.0.0.1',
    port: c.metrics_bind_port,
    registry,
    health,
    log: log.child({ component: 'metrics' }),
  });
}

/** The bin/ entry of a daemon: runs it and exits with its code. */
export function runDaemonMain<S extends ParamSpec>(spec: DaemonSpec<S>): void {
  runDaemon(spec).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${spec.program}: ${errorLine(err)}\n`);
      process.exit(EXIT.FAILURE);
    },
  );
}
