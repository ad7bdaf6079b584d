import { systemTimeZone, zonedParts } from '@utm5/common';
import type { RawFlow } from '@utm5/netflow';

/** One report column, declared once for the plain table and the CSV output (same names, same order). */
export interface Column {
  name: string;
  /** Shown only with -e (extended statistics). */
  extended: boolean;
  /** Right-aligned in the plain table. */
  numeric: boolean;
  /** The cell; `csv` asks for the machine form (times as unix seconds rather than wall-clock text). */
  value(f: RawFlow, csv: boolean): string;
}

const num = (name: string, get: (f: RawFlow) => number, extended = false): Column => ({
  name,
  extended,
  numeric: true,
  value: (f) => String(get(f)),
});
const text = (name: string, get: (f: RawFlow) => string, extended = false): Column => ({
  name,
  extended,
  numeric: false,
  value: get,
});

/**
 * The flow's time is its end (the last packet, unix seconds): the time -f/-t select on. Plain output shows it as
 * wall-clock time in the system's zone (TZ), CSV as unix seconds.
 */
export const COLUMNS: readonly Column[] = [
  {
    name: 'time',
    extended: false,
    numeric: false,
    value: (f, csv) => (csv ? String(flowTime(f)) : wallClock(flowTime(f))),
  },
  num('account', (f) => f.accountId),
  num('class', (f) => f.tclass),
  text('src', (f) => f.srcAddr),
  num('sport', (f) => f.srcPort),
  text('dst', (f) => f.dstAddr),
  num('dport', (f) => f.dstPort),
  num('proto', (f) => f.protocol),
  num('bytes', (f) => f.bytes),
  num('packets', (f) => f.packets),
  num('slink', (f) => f.slinkId, true),
  text('provider', (f) => f.provider, true),
  num('in_if', (f) => f.inIf, true),
  num('out_if', (f) => f.outIf, true),
  num('tos', (f) => f.tos, true),
  num('tcp_flags', (f) => f.tcpFlags, true),
  num('src_as', (f) => f.srcAs, true),
  num('dst_as', (f) => f.dstAs, true),
  text('next_hop', (f) => f.nextHop, true),
];

export function columnsFor(extended: boolean): Column[] {
  return COLUMNS.filter((c) => extended || !c.extended);
}

/** Unix seconds of the flow's end. */
export function flowTime(f: RawFlow): number {
  return Math.floor(f.end / 1000);
}

// Flows come in time order, so consecutive rows mostly share a second: remember the last one formatted.
let lastSecond = NaN;
let lastText = '';

function wallClock(t: number): string {
  if (t !== lastSecond) {
    const p = zonedParts(t, zone());
    const d = (n: number) => String(n).padStart(2, '0');
    lastText = `${p.year}-${d(p.month)}-${d(p.day)} ${d(p.hour)}:${d(p.minute)}:${d(p.second)}`;
    lastSecond = t;
  }
  return lastText;
}

// Resolved on first use, not at import time (STYLE rule 7).
let tz: string | undefined;
function zone(): string {
  tz ??= systemTimeZone();
  return tz;
}
