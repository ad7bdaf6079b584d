import type { RawFlow } from '@utm5/netflow';
import type { Column } from './columns';

/** Hands text to the output and resolves once it is taken (backpressure on a slow pipe). */
export type Write = (text: string) => Promise<void>;

export interface Report {
  add(f: RawFlow): Promise<void>;
  /** Writes what is held (the header at least, so an empty report still names its columns). */
  end(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** Lines gathered into chunks: one write per 64 KiB rather than per row. */
class Lines {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: Write) {}

  async add(line: string): Promise<void> {
    this.parts.push(line, '\n');
    this.size += line.length + 1;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.write(text);
  }
}

/**
 * -C: a header line, then one line a flow. No quoting is needed: every cell is a number or an IP address, none
 * holds a comma, quote or newline.
 */
export function csvReport(columns: readonly Column[], write: Write): Report {
  const out = new Lines(write);
  let started = false;
  const start = async () => {
    if (!started) await out.add(columns.map((c) => c.name).join(','));
    started = true;
  };
  return {
    async add(f) {
      await start();
      await out.add(columns.map((c) => c.value(f, true)).join(','));
    },
    async end() {
      await start();
      await out.flush();
    },
  };
}

/**
 * Rows this many are held to size the columns; after them the widths stay, and a wider cell pushes its row
 * out of line rather than holding a long report in memory.
 */
export const WIDTH_SAMPLE = 1000;

/**
 * Aligned columns under a header: numbers to the right, addresses and times to the left, two spaces apart. An empty
 * cell (an unknown provider) shows as '-', so that every row splits into the same fields for awk and cut.
 */
export function plainReport(columns: readonly Column[], write: Write): Report {
  const out = new Lines(write);
  let held: string[][] | undefined = [];
  let widths: number[] = [];
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (columns[i]!.numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const settle = async (rows: string[][]) => {
    const header = columns.map((c) => c.name);
    widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
    await out.add(line(header));
    for (const r of rows) await out.add(line(r));
  };
  return {
    async add(f) {
      const cells = columns.map((c) => c.value(f, false) || '-');
      if (!held) return out.add(line(cells));
      held.push(cells);
      if (held.length < WIDTH_SAMPLE) return;
      const rows = held;
      held = undefined;
      await settle(rows);
    },
    async end() {
      if (held) {
        const rows = held;
        held = undefined;
        await settle(rows);
      }
      await out.flush();
    },
  };
}
