import { systemTimeZone, zonedParts } from '@utm5/common';
import {
  DEFAULT_DATE_FORMAT,
  DateFormat,
  DurationFormat,
  ZonedClock,
  resolveDate,
  type DateParts,
  type Today,
} from './cdr-format';
import type { SendCdrConfig } from './config';

/** One call as rpcf_put_tel_calls takes it (the fields of rpcf_put_tel_call, in its order). */
export interface CdrCall {
  readonly calling_number: string;
  readonly called_number: string;
  readonly incoming_trunk: string;
  readonly outgoing_trunk: string;
  readonly session_id: string;
  readonly pbx_id: string;
  readonly login: string;
  readonly disconnect_cause: string;
  readonly call_start_date: number;
  readonly call_duration: number;
}

export type ParsedCdr =
  | { readonly kind: 'blank' }
  | { readonly kind: 'call'; readonly call: CdrCall }
  | { readonly kind: 'bad'; readonly reason: string };

/** Splits a record into fields; a string is the reason it cannot be split. */
export type Splitter = (text: string) => string[] | string;

/** pbx_delimiter and pbx_quote as a splitter: `space` is runs of blanks (leading/trailing ignored), `tab` one tab. */
export function makeSplitter(delimiter: string, quote: string): Splitter {
  const blanks = delimiter === 'space';
  const delim = delimiter === 'tab' ? '\t' : delimiter;
  if (quote === '') {
    if (blanks) return (t) => t.trim().split(/[ \t]+/);
    return (t) => t.split(delim);
  }
  return (t) => splitQuoted(blanks ? t.trim() : t, blanks, delim, quote);
}

function splitQuoted(t: string, blanks: boolean, delim: string, quote: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (t.startsWith(quote, i)) {
      i += quote.length;
      for (;;) {
        const end = t.indexOf(quote, i);
        if (end < 0) return `field ${out.length}: the quote ${quote} is not closed`;
        field += t.slice(i, end);
        i = end + quote.length;
        // A doubled quote inside a quoted field stands for the quote itself (as in CSV).
        if (t.startsWith(quote, i)) {
          field += quote;
          i += quote.length;
        } else break;
      }
      out.push(field);
      if (i >= t.length) return out;
      const after = blanks ? /^[ \t]+/.exec(t.slice(i))?.[0] : t.startsWith(delim, i) ? delim : undefined;
      if (after === undefined) return `field ${out.length - 1}: text after the closing quote ${quote}`;
      i += after.length;
    } else {
      const m = blanks ? /[ \t]+/g : null;
      let end: number;
      let len: number;
      if (m) {
        m.lastIndex = i;
        const r = m.exec(t);
        end = r ? r.index : -1;
        len = r ? r[0].length : 0;
      } else {
        end = t.indexOf(delim, i);
        len = delim.length;
      }
      if (end < 0) {
        out.push(t.slice(i));
        return out;
      }
      out.push(t.slice(i, end));
      i = end + len;
    }
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The record layout of utm5_send_cdr.cfg, compiled once; parse() turns one line into a call or a reason. */
export class CdrLineParser {
  private readonly split: Splitter;
  private readonly duration: DurationFormat;
  private readonly time: DateFormat | undefined;
  private readonly date: DateFormat | undefined;
  private readonly clock: ZonedClock;
  private readonly today: Today;
  private readonly blankDelimited: boolean;

  /** Throws FormatError for a format that cannot be compiled. */
  constructor(
    private readonly cfg: SendCdrConfig,
    private readonly now: number = Math.floor(Date.now() / 1000),
  ) {
    this.split = makeSplitter(cfg.pbx_delimiter, cfg.pbx_quote);
    this.blankDelimited = cfg.pbx_delimiter === 'space';
    this.duration = new DurationFormat(cfg.pbx_duration_format);
    this.time = cfg.pbx_time === undefined ? undefined : new DateFormat(cfg.pbx_time_format ?? DEFAULT_DATE_FORMAT);
    this.date = cfg.pbx_date === undefined ? undefined : new DateFormat(cfg.pbx_date_format);
    const zone = cfg.timezone ?? systemTimeZone();
    this.clock = new ZonedClock(zone);
    const p = zonedParts(now, zone);
    this.today = { year: p.year, month: p.month, day: p.day };
  }

  parse(text: string): ParsedCdr {
    if (text.trim() === '') return { kind: 'blank' };
    const f = this.split(text);
    if (typeof f === 'string') return { kind: 'bad', reason: f };
    const cfg = this.cfg;
    const need = (key: string, pos: number): string | { bad: string } =>
      pos < f.length ? f[pos]! : { bad: `${key}: no field ${pos} (the line has ${f.length} field(s))` };
    const opt = (pos: number | undefined) => (pos !== undefined && pos < f.length ? f[pos]! : '');

    const calling = need('pbx_calling_sid', cfg.pbx_calling_sid);
    if (typeof calling !== 'string') return { kind: 'bad', reason: calling.bad };
    const called = need('pbx_called_sid', cfg.pbx_called_sid);
    if (typeof called !== 'string') return { kind: 'bad', reason: called.bad };
    if (calling === '') return { kind: 'bad', reason: `pbx_calling_sid (field ${cfg.pbx_calling_sid}): empty number` };
    if (called === '') return { kind: 'bad', reason: `pbx_called_sid (field ${cfg.pbx_called_sid}): empty number` };
    const durText = this.spanning(f, cfg.pbx_duration, this.duration.blanks);
    if (durText === undefined)
      return { kind: 'bad', reason: `pbx_duration: no field ${cfg.pbx_duration} (the line has ${f.length} field(s))` };
    const duration = this.matchDuration(f, durText);
    if (typeof duration === 'string')
      return { kind: 'bad', reason: `pbx_duration (field ${cfg.pbx_duration}): ${duration}` };
    const start = this.start(f);
    if (typeof start === 'string') return { kind: 'bad', reason: start };
    return {
      kind: 'call',
      call: {
        calling_number: calling,
        called_number: called,
        incoming_trunk: opt(cfg.pbx_incoming_trunk),
        outgoing_trunk: opt(cfg.pbx_outgoing_trunk),
        session_id: opt(cfg.pbx_session_id),
        pbx_id: opt(cfg.pbx_id),
        login: opt(cfg.pbx_accounting_code),
        disconnect_cause: opt(cfg.pbx_disconnect_cause),
        call_start_date: start,
        call_duration: duration,
      },
    };
  }

  private matchDuration(_f: readonly string[], text: readonly string[]): number | string {
    let r = this.duration.match(text[0]!);
    if (typeof r === 'string' && text.length > 1) r = this.duration.match(text.join(' '));
    return r;
  }

  /** The field at pos alone, and (space delimiter) joined with the next `blanks` fields: a date such as "Tue Jul 19". */
  private spanning(f: readonly string[], pos: number, blanks: number): string[] | undefined {
    if (pos >= f.length) return undefined;
    if (!this.blankDelimited || blanks === 0 || pos + blanks >= f.length) return [f[pos]!];
    return [f[pos]!, ...f.slice(pos + 1, pos + blanks + 1)];
  }

  private matchDate(key: string, pos: number, fmt: DateFormat, f: readonly string[]): DateParts | string {
    const text = this.spanning(f, pos, fmt.blanks);
    if (text === undefined) return `${key}: no field ${pos} (the line has ${f.length} field(s))`;
    let r = fmt.match(text[0]!);
    if (typeof r === 'string' && text.length > 1) r = fmt.match(text.join(' '));
    return typeof r === 'string' ? `${key} (field ${pos}): ${r}` : r;
  }

  private start(f: readonly string[]): number | string {
    const cfg = this.cfg;
    if (this.time === undefined && this.date === undefined) return this.now;
    let parts: DateParts = {};
    if (this.date !== undefined) {
      const d = this.matchDate('pbx_date', cfg.pbx_date!, this.date, f);
      if (typeof d === 'string') return d;
      parts = d;
    }
    if (this.time !== undefined) {
      const t = this.matchDate('pbx_time', cfg.pbx_time!, this.time, f);
      if (typeof t === 'string') return t;
      // The time field's own date parts (if its format has any) win over pbx_date's.
      for (const [k, v] of Object.entries(t)) if (v !== undefined) (parts as Record<string, unknown>)[k] = v;
    }
    const r = resolveDate(parts, this.clock, this.today);
    if (typeof r === 'string') return `${cfg.pbx_time !== undefined ? 'pbx_time' : 'pbx_date'}: ${r}`;
    if (r < 0 || r > 0x7fffffff)
      return `call start ${parts.year}-${pad2(parts.month ?? 0)}-${pad2(parts.day ?? 0)}: out of the range of unix time`;
    return r;
  }
}
