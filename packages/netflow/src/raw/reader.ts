import { open, readFile, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeRawFile,
  decodeRawFlows,
  decodeRawHeader,
  truncatedTail,
  type RawFileContents,
  type RawFileHeader,
  type RawFileProblem,
  type RawFlow,
} from './format';

/** What reading one file came to, given once it has been read to its end (not when the caller stops early). */
export interface RawFileSummary {
  path: string;
  header?: RawFileHeader;
  records: number;
  /** Bytes not decoded: a partial record at the end, or everything from a corrupt record on. */
  trailing: number;
  problem?: RawFileProblem;
}

export type RawFileEnd = (summary: RawFileSummary) => void;

/** A whole file in memory. Throws only for I/O (a missing file); a short or corrupt tail is in the result. */
export async function readRawFile(path: string): Promise<RawFileContents> {
  return decodeRawFile(await readFile(path));
}

/** The .utm files in dir, full paths, in name order (the writer's names sort by creation time). */
export async function listRawFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.utm'))
    .map((e) => e.name)
    .sort()
    .map((n) => join(dir, n));
}

/** The flows of one file, read in chunks so that a large file is never held whole. */
export async function* readRawFlows(path: string, onEnd?: RawFileEnd): AsyncGenerator<RawFlow> {
  yield* flowsFrom(await open(path, 'r'), path, onEnd);
}

/**
 * The flows of every .utm file in dir, file after file in name order. A file that disappears between the listing and
 * its turn (pruned by the writer, moved by the raw process script) is skipped.
 */
export async function* readRawDir(dir: string, onEnd?: RawFileEnd): AsyncGenerator<RawFlow> {
  for (const path of await listRawFiles(dir)) {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    yield* flowsFrom(fh, path, onEnd);
  }
}

const CHUNK = 1 << 20;

async function* flowsFrom(fh: FileHandle, path: string, onEnd: RawFileEnd | undefined): AsyncGenerator<RawFlow> {
  try {
    let buf = Buffer.alloc(0); // bytes read and not yet decoded
    let base = 0; // their offset in the file
    let header: RawFileHeader | undefined;
    let records = 0;
    let eof = false;
    const end = (s: Omit<RawFileSummary, 'path' | 'records'>) => onEnd?.({ path, records, ...s });
    const rest = async () => Math.max((await fh.stat()).size, base + buf.length) - base;
    for (;;) {
      if (!eof) {
        // A fresh buffer each read: the undecoded tail of the last one is still in use.
        const chunk = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await fh.read(chunk, 0, CHUNK, null);
        if (bytesRead === 0) eof = true;
        else buf = buf.length > 0 ? Buffer.concat([buf, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      }
      if (!header) {
        const h = decodeRawHeader(buf);
        if ('problem' in h) {
          if (h.problem.reason === 'truncated' && !eof) continue;
          end({ trailing: await rest(), problem: h.problem });
          return;
        }
        header = h.header;
        buf = buf.subarray(header.headerSize);
        base = header.headerSize;
      }
      const { flows, next, problem } = decodeRawFlows(buf, 0, base);
      buf = buf.subarray(next);
      base += next;
      for (const f of flows) {
        records++;
        yield f;
      }
      if (problem) {
        end({ header, trailing: await rest(), problem });
        return;
      }
      if (eof) {
        end(
          buf.length > 0
            ? { header, trailing: buf.length, problem: truncatedTail(base, buf.length) }
            : { header, trailing: 0 },
        );
        return;
      }
    }
  } finally {
    await fh.close();
  }
}
