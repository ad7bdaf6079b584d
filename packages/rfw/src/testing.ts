import { join } from 'node:path';
import type { Logger, LogLevelName } from '@utm5/common';

/** A logger that keeps its lines ("level: message") for tests to look at. */
export function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: LogLevelName) => (m: string) => lines.push(`${level}: ${m}`);
  const l = {
    lines,
    emerg: at('emerg'),
    alert: at('alert'),
    crit: at('crit'),
    error: at('error'),
    warn: at('warn'),
    notice: at('notice'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    stats: at('stats'),
    log: (level: LogLevelName, m: string) => at(level)(m),
    child: () => l,
    enabled: () => true,
  };
  return l;
}

/** The sample's logging firewall_path (config/rfw/log-command.js): appends its argv as one JSON line. */
export const SAMPLE_RECORDER = join(__dirname, '..', '..', '..', 'config', 'rfw', 'log-command.js');
