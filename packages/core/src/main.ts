import {
  EXIT, PidFile, createLogger, describeConfig, errorLine, loadConfigFile, parseDaemonArgs, reportError, reportWarnings,
  versionLine, type RootLogger,
} from '@utm5/common';
import { coreConfig } from './config/core-config';
import { createCoreClock } from './clock/core-clock';
import { Core } from './core';

const PROGRAM = 'utm5_core';

/**
 * utm5_core's entry: argv, config, logger, pid file and signals; everything else is Core. Resolves with the exit
 * code once the core has stopped (or failed to start).
 */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let args;
  try {
    args = parseDaemonArgs(PROGRAM, 'UTM5-TS billing core: URFA and Stream servers, tariffication, scheduler',
      coreConfig.defaultFile, argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }

  if (args.showVersion) {
    process.stdout.write(`${versionLine(PROGRAM)}\n`);
    try {
      const loaded = loadConfigFile(coreConfig, args.config);
      reportWarnings(PROGRAM, loaded.warnings);
      process.stdout.write(`configuration ${args.config}:\n${describeConfig(coreConfig, loaded)}\n`);
      return EXIT.OK;
    } catch (err) {
      return reportError(PROGRAM, err);
    }
  }

  let loaded;
  try {
    loaded = loadConfigFile(coreConfig, args.config);
  } catch (err) {
    return reportError(PROGRAM, err);
  }
  reportWarnings(PROGRAM, loaded.warnings);
  const config = loaded.values;

  let log: RootLogger;
  try {
    log = createLogger({ program: PROGRAM, params: config });
  } catch (err) {
    return reportError(PROGRAM, new Error(`cannot open log files: ${errorLine(err)}`));
  }
  for (const s of loaded.secrets) log.addSecret(s);
  for (const w of loaded.warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);

  const pid = new PidFile(args.pidFile ?? config.core_pid_file);
  try {
    pid.acquire(PROGRAM);
  } catch (err) {
    log.crit(errorLine(err));
    log.close();
    return reportError(PROGRAM, err);
  }

  const clock = createCoreClock(config.test_clock, log);
  const core = new Core({ config, log, clock });
  let stopping: Promise<void> | undefined;
  let exitCode: number = EXIT.OK;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => { resolveDone = r; });

  const shutdown = (why: string, code: number = EXIT.OK) => {
    if (stopping) return stopping;
    exitCode = code;
    log.notice(`${why}: stopping`);
    stopping = core.stop().then(() => {
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
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => void core.hup());
  process.on('uncaughtException', (err) => {
    log.emerg(`internal error: ${err.stack ?? err.message}`);
    void shutdown('internal error', EXIT.FAILURE);
  });
  process.on('unhandledRejection', (err) => {
    log.crit(`internal error (unhandled rejection): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  });

  try {
    await core.start();
  } catch (err) {
    log.crit(`cannot start: ${errorLine(err)}`);
    pid.release();
    log.close();
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGHUP');
    return reportError(PROGRAM, err);
  }
  log.notice(`${versionLine(PROGRAM)} started, pid ${process.pid}, ${core.db!.where}`);

  await done;
  pid.release();
  log.close();
  return exitCode;
}

/** Entry for bin/utm5_core. */
export function run(): void {
  main().then((code) => process.exit(code), (err) => {
    process.stderr.write(`${PROGRAM}: ${errorLine(err)}\n`);
    process.exit(EXIT.FAILURE);
  });
}
