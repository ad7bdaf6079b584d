import { buildFields, writeField } from './fields';
import type { FlowRecord } from './flow';

export interface TemplateExportOptions {
  /** v9 source id / IPFIX observation domain. */
  domain: number;
  sequence: number;
  /** Export time, unix ms. */
  unixMs: number;
  /** v9 only: the exporter's uptime at export, ms. */
  sysUptime?: number;
  /** Include the template set (v9 exporters repeat it every N packets; IPFIX over UDP likewise). */
  withTemplate: boolean;
}

/** Template ids the builders use: IPv4 and IPv6 flows. */
export const BUILD_TEMPLATE_V4 = 256;
export const BUILD_TEMPLATE_V6 = 257;

function templateSet(version: 9 | 10, ids: readonly (4 | 6)[], times: 'uptime' | 'ms'): Buffer {
  const parts: Buffer[] = [];
  for (const v of ids) {
    const fields = buildFields(v, times);
    const b = Buffer.alloc(4 + fields.length * 4);
    b.writeUInt16BE(v === 4 ? BUILD_TEMPLATE_V4 : BUILD_TEMPLATE_V6, 0);
    b.writeUInt16BE(fields.length, 2);
    fields.forEach(([id, len], i) => {
      b.writeUInt16BE(id, 4 + i * 4);
      b.writeUInt16BE(len, 6 + i * 4);
    });
    parts.push(b);
  }
  return set(version === 9 ? 0 : 2, Buffer.concat(parts));
}

function set(id: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const b = Buffer.alloc(4 + body.length + pad);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(b.length, 2);
  body.copy(b, 4);
  return b;
}

function dataSet(
  v: 4 | 6,
  records: readonly FlowRecord[],
  times: 'uptime' | 'ms',
  uptime: (ms: number) => number,
): Buffer {
  const fields = buildFields(v, times);
  const size = fields.reduce((s, [, l]) => s + l, 0);
  const body = Buffer.alloc(records.length * size);
  records.forEach((r, i) => {
    let at = i * size;
    for (const [id, len] of fields) {
      writeField(body, at, id, len, r, uptime);
      at += len;
    }
  });
  return set(v === 4 ? BUILD_TEMPLATE_V4 : BUILD_TEMPLATE_V6, body);
}

function build(version: 9 | 10, o: TemplateExportOptions, records: readonly FlowRecord[]): Buffer {
  const times = version === 9 ? 'uptime' : 'ms';
  const sysUptime = o.sysUptime ?? 0;
  const uptime = (ms: number) => (sysUptime - (o.unixMs - ms)) >>> 0;
  const v4 = records.filter((r) => r.ipVersion === 4);
  const v6 = records.filter((r) => r.ipVersion === 6);
  const sets: Buffer[] = [];
  if (o.withTemplate) sets.push(templateSet(version, [4, 6], times));
  if (v4.length) sets.push(dataSet(4, v4, times, uptime));
  if (v6.length) sets.push(dataSet(6, v6, times, uptime));
  const headerLen = version === 9 ? 20 : 16;
  const h = Buffer.alloc(headerLen);
  h.writeUInt16BE(version, 0);
  const secs = Math.floor(o.unixMs / 1000);
  if (version === 9) {
    h.writeUInt16BE(records.length + (o.withTemplate ? 2 : 0), 2);
    h.writeUInt32BE(sysUptime >>> 0, 4);
    h.writeUInt32BE(secs, 8);
    h.writeUInt32BE(o.sequence >>> 0, 12);
    h.writeUInt32BE(o.domain >>> 0, 16);
  } else {
    h.writeUInt16BE(headerLen + sets.reduce((s, b) => s + b.length, 0), 2);
    h.writeUInt32BE(secs, 4);
    h.writeUInt32BE(o.sequence >>> 0, 8);
    h.writeUInt32BE(o.domain >>> 0, 12);
  }
  return Buffer.concat([h, ...sets]);
}

/** A NetFlow v9 packet (templates 256 for IPv4, 257 for IPv6 flows). */
export function encodeV9(o: TemplateExportOptions, records: readonly FlowRecord[]): Buffer {
  return build(9, o, records);
}

/** An IPFIX (v10) message with the same templates, flow times as absolute milliseconds. */
export function encodeIpfix(o: TemplateExportOptions, records: readonly FlowRecord[]): Buffer {
  return build(10, o, records);
}
