import { isAbsolute, join } from 'node:path';
import { UsageError, intArg, prefixArg } from '../cli/args';
import type { FlowQuery } from './filter';

/** What the report reads: one file, or every .utm file of a directory in name (time) order. */
export type RawSource = { file: string } | { dir: string };

export interface GetNfOptions {
  source: RawSource;
  query: FlowQuery;
  /** Data rows at most; Infinity when -l is not given. */
  limit: number;
  extended: boolean;
  csv: boolean;
}

const U32 = 0xffff_ffff;

/**
 * The manual's options from commander's values (single-letter keys). `nowSec` is -t's default. -b alone names a
 * file; with -D a relative -b is taken inside that directory; -D alone reads the whole directory.
 */
export function parseOptions(o: Record<string, string | boolean | undefined>, nowSec: number): GetNfOptions {
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const query: FlowQuery = { from: 0, till: nowSec };
  const opt = <K extends keyof FlowQuery>(flag: string, key: K, parse: (v: string) => FlowQuery[K]) => {
    const v = s(flag);
    if (v !== undefined) query[key] = parse(v);
  };
  opt('a', 'accountId', intArg('-a', U32));
  opt('s', 'src', prefixArg('-s'));
  opt('d', 'dst', prefixArg('-d'));
  opt('p', 'srcPort', intArg('-p', 65535));
  opt('P', 'dstPort', intArg('-P', 65535));
  opt('c', 'tclass', intArg('-c', U32));
  opt('f', 'from', intArg('-f', Number.MAX_SAFE_INTEGER));
  opt('t', 'till', intArg('-t', Number.MAX_SAFE_INTEGER));
  if (query.from >= query.till) {
    throw new UsageError(
      `-f ${query.from}: the report starts at or after its end (-t ${s('t') ?? `${query.till}, now`})`,
    );
  }
  const limit = s('l') !== undefined ? intArg('-l', Number.MAX_SAFE_INTEGER, 1)(s('l')!) : Infinity;
  const dir = s('D');
  const file = s('b');
  if (dir === undefined && file === undefined)
    throw new UsageError('give -D <directory> of raw traffic files or -b <file>');
  const source: RawSource =
    file === undefined ? { dir: dir! } : { file: dir !== undefined && !isAbsolute(file) ? join(dir, file) : file };
  return { source, query, limit, extended: o['e'] === true, csv: o['C'] === true };
}
