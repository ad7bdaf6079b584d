import { applyField, type RecordTimes } from './fields';
import { emptyFlow, type ExportHeader, type FlowRecord } from './flow';
import { NetflowError, type NetflowErrorReason } from './netflow-error';
import { TemplateCache, VARLEN, makeTemplate, type Template, type TemplateField } from './templates';
import { decodeV5, uptimeToUnix } from './v5';

export interface DecoderOptions {
  /** A template not refreshed for this long is forgotten (seconds; 0 keeps them). Default 1800. */
  templateTimeoutSec?: number;
  /** Data sets held for a template not yet seen, over all exporters (oldest dropped). Default 256. */
  pendingLimit?: number;
}

export interface DecodeResult {
  header?: ExportHeader;
  records: FlowRecord[];
  /** Set when the packet was dropped; records decoded before the fault in it are kept. */
  error?: NetflowError;
}

export interface DecoderStats {
  packets: number;
  records: number;
  templates: number;
  optionsRecords: number;
  /** Data records that arrived before their template and were decoded later. */
  heldRecordsDecoded: number;
  /** Data sets dropped because their template never came in time. */
  heldSetsDropped: number;
  malformed: Record<NetflowErrorReason, number>;
  /** Packets decoded whole and their records, by NetFlow version (10 is IPFIX). */
  byVersion: Record<ExportHeader['version'], { packets: number; records: number }>;
}

interface Clocking {
  sysUptime: number;
  unixMs: number;
}

interface HeldSet {
  key: string;
  body: Buffer;
  clock: Clocking;
  version: 9 | 10;
}

/**
 * Decodes NetFlow v5, v7, v9 and IPFIX datagrams into FlowRecords. Never throws: a malformed packet comes back with
 * `error` and is counted by reason. Templates are kept per exporter and domain; data that arrives before its
 * template is held (bounded) and decoded when the template comes.
 */
export class NetflowDecoder {
  readonly stats: DecoderStats = {
    packets: 0,
    records: 0,
    templates: 0,
    optionsRecords: 0,
    heldRecordsDecoded: 0,
    heldSetsDropped: 0,
    malformed: { truncated: 0, version: 0, count: 0, set_length: 0, template: 0, field_length: 0 },
    byVersion: {
      5: { packets: 0, records: 0 },
      7: { packets: 0, records: 0 },
      9: { packets: 0, records: 0 },
      10: { packets: 0, records: 0 },
    },
  };
  private readonly templates: TemplateCache;
  private readonly held: HeldSet[] = [];
  private readonly pendingLimit: number;

  constructor(opts: DecoderOptions = {}) {
    this.templates = new TemplateCache((opts.templateTimeoutSec ?? 1800) * 1000);
    this.pendingLimit = opts.pendingLimit ?? 256;
  }

  get templateCount(): number {
    return this.templates.size;
  }

  get heldSets(): number {
    return this.held.length;
  }

  decode(buf: Buffer, exporter: string, now = Date.now()): DecodeResult {
    this.stats.packets++;
    const records: FlowRecord[] = [];
    let header: ExportHeader | undefined;
    try {
      if (buf.length < 4) throw new NetflowError('truncated', `a ${buf.length}-byte datagram is no NetFlow packet`);
      const version = buf.readUInt16BE(0);
      if (version === 5 || version === 7) {
        const r = decodeV5(buf);
        header = r.header;
        records.push(...r.records);
      } else if (version === 9) {
        header = this.decodeV9(buf, exporter, now, records);
      } else if (version === 10) {
        header = this.decodeIpfix(buf, exporter, now, records);
      } else {
        throw new NetflowError('version', `NetFlow version ${version} is not 5, 7, 9 or 10 (IPFIX)`);
      }
    } catch (err) {
      const e = err instanceof NetflowError ? err : new NetflowError('truncated', (err as Error).message);
      this.stats.malformed[e.reason]++;
      this.stats.records += records.length;
      return { header, records, error: e };
    }
    this.stats.records += records.length;
    if (header) {
      const v = this.stats.byVersion[header.version];
      v.packets++;
      v.records += records.length;
    }
    return { header, records };
  }

  private decodeV9(buf: Buffer, exporter: string, now: number, out: FlowRecord[]): ExportHeader {
    if (buf.length < 20) throw new NetflowError('truncated', `NetFlow v9 header needs 20 bytes, got ${buf.length}`);
    const header: ExportHeader = {
      version: 9,
      count: buf.readUInt16BE(2),
      sysUptime: buf.readUInt32BE(4),
      exportTime: buf.readUInt32BE(8),
      sequence: buf.readUInt32BE(12),
      domain: buf.readUInt32BE(16),
    };
    const clock = { sysUptime: header.sysUptime, unixMs: header.exportTime * 1000 };
    this.sets(buf, 20, exporter, header.domain, 9, clock, now, out);
    return header;
  }

  private decodeIpfix(buf: Buffer, exporter: string, now: number, out: FlowRecord[]): ExportHeader {
    if (buf.length < 16) throw new NetflowError('truncated', `IPFIX header needs 16 bytes, got ${buf.length}`);
    const length = buf.readUInt16BE(2);
    if (length < 16 || length > buf.length)
      throw new NetflowError('truncated', `IPFIX message length ${length} but ${buf.length} bytes came`);
    const header: ExportHeader = {
      version: 10,
      count: 0,
      sysUptime: 0,
      exportTime: buf.readUInt32BE(4),
      sequence: buf.readUInt32BE(8),
      domain: buf.readUInt32BE(12),
    };
    this.sets(
      buf.subarray(0, length),
      16,
      exporter,
      header.domain,
      10,
      { sysUptime: 0, unixMs: header.exportTime * 1000 },
      now,
      out,
    );
    return header;
  }

  private sets(
    buf: Buffer,
    at: number,
    exporter: string,
    domain: number,
    version: 9 | 10,
    clock: Clocking,
    now: number,
    out: FlowRecord[],
  ): void {
    const [tplSet, optSet] = version === 9 ? [0, 1] : [2, 3];
    while (at + 4 <= buf.length) {
      const setId = buf.readUInt16BE(at);
      const len = buf.readUInt16BE(at + 2);
      if (len < 4 || at + len > buf.length)
        throw new NetflowError(
          'set_length',
          `set ${setId} at byte ${at} has length ${len} (${buf.length - at} bytes left)`,
        );
      const body = buf.subarray(at + 4, at + len);
      if (setId === tplSet || setId === optSet) {
        for (const t of this.readTemplates(body, setId === optSet, version, now)) {
          if (t.fields.length === 0) {
            this.templates.withdraw(exporter, domain, t.id);
            continue;
          }
          this.templates.set(exporter, domain, t);
          this.stats.templates++;
          this.release(TemplateCache.key(exporter, domain, t.id), t, out);
        }
      } else if (setId >= 256) {
        const t = this.templates.get(exporter, domain, setId, now);
        if (t) this.data(body, t, version, clock, out);
        else this.hold({ key: TemplateCache.key(exporter, domain, setId), body: Buffer.from(body), clock, version });
      }
      // set ids 4..255 are reserved: skipped by their length
      at += len;
    }
  }

  private readTemplates(body: Buffer, options: boolean, version: 9 | 10, now: number): Template[] {
    const out: Template[] = [];
    let at = 0;
    while (at + 4 <= body.length) {
      const id = body.readUInt16BE(at);
      const fields: TemplateField[] = [];
      let count: number;
      if (options && version === 9) {
        if (at + 6 > body.length) break;
        const scopeLen = body.readUInt16BE(at + 2);
        const optLen = body.readUInt16BE(at + 4);
        if ((scopeLen | optLen) % 4 !== 0)
          throw new NetflowError('template', `options template ${id} has scope/option lengths ${scopeLen}/${optLen}`);
        count = (scopeLen + optLen) / 4;
        at += 6;
      } else {
        count = body.readUInt16BE(at + 2);
        at += options ? 6 : 4; // IPFIX options templates add the scope field count
        if (count === 0) {
          out.push(makeTemplate(id, [], options, now));
          continue;
        }
      }
      if (id < 256) throw new NetflowError('template', `template id ${id} is below 256`);
      for (let i = 0; i < count; i++) {
        if (at + 4 > body.length)
          throw new NetflowError('template', `template ${id} ends inside its field ${i + 1} of ${count}`);
        let fid = body.readUInt16BE(at);
        const flen = body.readUInt16BE(at + 2);
        let enterprise = 0;
        at += 4;
        if (version === 10 && fid & 0x8000) {
          if (at + 4 > body.length)
            throw new NetflowError('template', `template ${id} ends inside an enterprise number`);
          enterprise = body.readUInt32BE(at);
          fid &= 0x7fff;
          at += 4;
        }
        if (flen === 0 || (flen === VARLEN && version === 9))
          throw new NetflowError('field_length', `template ${id} field ${fid} has length ${flen}`);
        fields.push({ id: fid, length: flen, enterprise });
      }
      out.push(makeTemplate(id, fields, options, now));
      if (body.length - at < 4) break; // padding
    }
    return out;
  }

  private data(body: Buffer, t: Template, version: 9 | 10, clock: Clocking, out: FlowRecord[]): number {
    let n = 0;
    let at = 0;
    const min = t.recordLength > 0 ? t.recordLength : 1;
    while (body.length - at >= min) {
      const r = emptyFlow();
      const times: RecordTimes = { firstUptime: -1, lastUptime: -1, startMs: -1, endMs: -1 };
      for (const f of t.fields) {
        let len = f.length;
        if (len === VARLEN) {
          if (at + 1 > body.length) return n;
          len = body[at]!;
          at += 1;
          if (len === 255) {
            if (at + 2 > body.length) return n;
            len = body.readUInt16BE(at);
            at += 2;
          }
        }
        if (at + len > body.length) {
          // What is left is padding (RFC 7011 s. 3.3.1) unless a record was under way with variable fields.
          if (t.recordLength < 0 && f !== t.fields[0])
            throw new NetflowError('field_length', `record of template ${t.id} runs past its set`);
          return n;
        }
        if (f.enterprise === 0 && !t.options) applyField(r, times, f.id, body, at, len);
        at += len;
      }
      if (t.options) {
        this.stats.optionsRecords++;
        continue;
      }
      this.resolveTimes(r, times, version, clock);
      out.push(r);
      n++;
    }
    return n;
  }

  private resolveTimes(r: FlowRecord, t: RecordTimes, version: 9 | 10, c: Clocking): void {
    if (t.startMs >= 0) r.start = t.startMs;
    else if (t.firstUptime >= 0 && version === 9) r.start = uptimeToUnix(t.firstUptime, c.sysUptime, c.unixMs);
    else r.start = c.unixMs;
    if (t.endMs >= 0) r.end = t.endMs;
    else if (t.lastUptime >= 0 && version === 9) r.end = uptimeToUnix(t.lastUptime, c.sysUptime, c.unixMs);
    else r.end = Math.max(r.start, c.unixMs);
  }

  private hold(h: HeldSet): void {
    this.held.push(h);
    while (this.held.length > this.pendingLimit) {
      this.held.shift();
      this.stats.heldSetsDropped++;
    }
  }

  private release(key: string, t: Template, out: FlowRecord[]): void {
    for (let i = 0; i < this.held.length;) {
      const h = this.held[i]!;
      if (h.key !== key) {
        i++;
        continue;
      }
      this.held.splice(i, 1);
      const before = out.length;
      try {
        this.data(h.body, t, h.version, h.clock, out);
      } catch {
        this.stats.malformed.field_length++;
      }
      this.stats.heldRecordsDecoded += out.length - before;
    }
  }
}
