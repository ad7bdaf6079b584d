import { param, section } from '../config/param';
import { boolType, intType, pathType, sizeType, stringType } from '../config/value-types';

/**
 * The logging parameters every UTM5 program shares (manual: "Logging parameters"); each program's schema spreads
 * these in, so they are declared once. The program name only shapes the sample's debug log path.
 */
export const logParams = (program: string) =>
  section('Logging', {
    log_level: param(intType({ min: 0, max: 3 }), {
      doc:
        'Level of messages written to the main log: the main stream takes levels 0 .. 3+log_level ' +
        '(0 EMERG, 1 ALERT, 2 CRIT, 3 ERROR, 4 Warn, 5 Notice, 6 Info).',
      default: 1,
      sample: '2',
    }),
    log_file_main: param(pathType, {
      doc: 'Main log file (levels 0 .. 3+log_level).',
      defaultText: 'standard error stream',
    }),
    log_file_debug: param(pathType, {
      doc: 'Debugging log file (all levels, 0 EMERG .. 9 Stats).',
      defaultText: 'standard error stream',
      sample: `var/log/${program}.debug.log`,
    }),
    log_file_critical: param(pathType, {
      doc: 'Critical log file (levels 0 .. 2).',
      defaultText: 'standard error stream',
    }),
    syslog_name: param(stringType({ nonEmpty: true }), {
      doc: 'Prefix of every log entry, so that lines from several programs in one journal or file can be told apart.',
    }),
    rotate_logs: param(boolType, {
      doc:
        'Rotate log files by size: a file larger than max_logfile_size is closed and renamed with a suffix, ".N" ' +
        'when max_logfile_count is set (the next free number; the oldest removed beyond the count), ".<unix time>" ' +
        'when it is not (incremented if taken).',
      default: false,
      sample: 'enable',
    }),
    max_logfile_count: param(intType({ min: 1, max: 100000 }), {
      doc: 'Maximum number of rotated files to keep per log file. Works when rotate_logs is enabled.',
      defaultText: 'unlimited',
      sample: '5',
    }),
    max_logfile_size: param(sizeType({ min: 1024 }), {
      doc: 'Size in bytes above which a log file is rotated. Works when rotate_logs is enabled.',
      default: 10485760,
    }),
  });

export type LogParamValues = {
  log_level: number;
  log_file_main: string | undefined;
  log_file_debug: string | undefined;
  log_file_critical: string | undefined;
  syslog_name: string | undefined;
  rotate_logs: boolean;
  max_logfile_count: number | undefined;
  max_logfile_size: number;
};
