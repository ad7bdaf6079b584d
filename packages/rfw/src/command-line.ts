import { parseRfwSyncFlags, type RfwSyncFlag } from '@utm5/protocol';

/** utm5_rfw's own options, taken out of argv before the shared daemon parser sees the rest (-c, -p, -v). */
export interface RfwArgs {
  /** The argv for runDaemon, without -s/-f/-o. */
  readonly rest: string[];
  /** -s (or -f/-o): overrides sync_flags; undefined when not given. */
  readonly syncFlags: RfwSyncFlag[] | undefined;
  readonly warnings: string[];
}

export class RfwUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RfwUsageError';
  }
}

/**
 * -s <flags> (':' or ',' joined; an unknown flag is a usage error), -f and -o (deprecated: -s enable, as the manual
 * says). `argv` is process.argv (node, script, args...).
 */
export function parseRfwArgs(argv: readonly string[]): RfwArgs {
  const rest = argv.slice(0, 2);
  const warnings: string[] = [];
  let flags: RfwSyncFlag[] | undefined;
  const add = (text: string) => {
    const r = parseRfwSyncFlags(text);
    if ('unknown' in r)
      throw new RfwUsageError(
        `unknown sync flag '${r.unknown}' in -s ${text} (known: enable, disable, users, iptraffic, dialup, blocks, shaping)`,
      );
    flags = [...(flags ?? []), ...r.flags.filter((f) => !flags?.includes(f))];
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-s' || a === '--sync') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-'))
        throw new RfwUsageError(`-s needs the sync flags, e.g. -s enable:blocks`);
      add(v);
    } else if (a.startsWith('-s') && a.length > 2 && !a.startsWith('--')) {
      add(a.slice(2));
    } else if (a === '-f' || a === '-o') {
      warnings.push(`${a} is deprecated: use -s enable`);
      add('enable');
    } else {
      rest.push(a);
    }
  }
  return { rest, syncFlags: flags, warnings };
}
