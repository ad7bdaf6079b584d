export { UtmError, errorLine } from './errors/utm-error';
export { CommonErrorCodes, type CommonErrorCode } from './errors/codes';

export * from './config/value-types';
export * from './config/param';
export { coreLinkParams } from './config/core-link-params';
export { parseConfigText, type ConfigEntry, type ParsedConfigText } from './config/parse-text';
export { ConfigError, problemLine, type ConfigProblem } from './config/config-error';
export { loadConfigFile, loadConfigText, validateEntries, type LoadedConfig, type ValueSource } from './config/load';
export { renderSample, describeConfig } from './config/render';
export { closestName, editDistance } from './config/suggest';

export * from './log/levels';
export { logParams, type LogParamValues } from './log/log-params';
export { createLogger, type Logger, type RootLogger, type LogMeta, type LoggerOptions } from './log/logger';
export { metricsParams, type MetricsParamValues } from './metrics/metrics-params';
export {
  MetricsServer,
  MetricsBindError,
  createDaemonRegistry,
  type HealthCheck,
  type HealthChecks,
  type MetricsServerOptions,
} from './metrics/metrics-server';
// The metric types, from the one place the daemons take prom-client from.
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export { registerReadMetrics, type ReadMetric, type MetricLabels } from './metrics/read-metrics';
export { nullLogger } from './log/null-logger';
export { RotatingFile, type RotationOptions } from './log/rotating-file';
export { Redactor, MASK } from './log/redact';

export {
  SystemClock,
  TestClock,
  ClockRefusedError,
  type Clock,
  type TimerHandle,
  type ClockListener,
} from './clock/clock';

export { PidFile, PidFileError } from './lifecycle/pid-file';
export { ServiceHost, LifecycleTimeoutError, type Service } from './lifecycle/service-host';

export * from './money/money';
export * from './net/subnet';
export { SecretBox, SecretKeyError } from './crypto/secret-box';

export {
  EXIT,
  reportError,
  reportWarnings,
  parseDaemonArgs,
  versionLine,
  exitAfterFlush,
  type DaemonArgs,
} from './cli/program';
export { runDaemon, runDaemonMain, type DaemonBody, type DaemonSpec } from './cli/daemon';
export { UTM5_TS_VERSION, CORE_VERSION_STRING } from './version';
export * from './time/zone';
export * from './time/time-ranges';
export * from './time/time-cost';
export * from './time/range-walk';
export { Spool, type SpooledBatch, type SpoolProblem } from './spool/spool';
export { StatsFile, writeFileAtomic } from './lifecycle/stats-file';
