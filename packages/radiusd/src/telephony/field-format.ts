import type { RadiusPacket } from '@utm5/radius';

/**
 * incoming_trunk_format, outgoing_trunk_format, pbx_id_format: "vendor_id:attribute_id:regexp" names the attribute
 * (vendor 0 for the standard ones) a call's trunk or PBX id is read from, and the regular expression that picks it out
 * of the value: its first group when it has one, else the whole match. The attribute may occur several times
 * (Cisco-AVPair): the first value that matches wins.
 */
export interface FieldFormat {
  readonly vendor: number;
  readonly attr: number;
  readonly re: RegExp;
}

export class FieldFormatError extends Error {}

export function parseFieldFormat(key: string, spec: string): FieldFormat {
  const m = /^(\d+):(\d+):(.*)$/s.exec(spec);
  if (!m)
    throw new FieldFormatError(`${key} '${spec}' is not vendor_id:attribute_id:regexp (e.g. 9:1:^in-trunk=(.*)$)`);
  const vendor = Number(m[1]);
  const attr = Number(m[2]);
  if (attr < 1 || attr > 255) throw new FieldFormatError(`${key}: attribute_id ${attr} is not 1..255`);
  let re: RegExp;
  try {
    re = new RegExp(m[3] === '' ? '.*' : m[3]!);
  } catch (err) {
    throw new FieldFormatError(`${key}: the regular expression '${m[3]}' does not compile: ${(err as Error).message}`);
  }
  return { vendor, attr, re };
}

/** The field a format picks out of a request; '' when the attribute is absent or no value matches. */
export function extractField(p: RadiusPacket, f: FieldFormat | undefined): string {
  if (!f) return '';
  for (const a of p.attributes) {
    if (a.vendor !== f.vendor || a.type !== f.attr || a.malformed) continue;
    const v = typeof a.value === 'string' ? a.value : typeof a.value === 'number' ? String(a.value) : undefined;
    if (v === undefined) continue;
    const m = f.re.exec(v);
    if (m) return m[1] ?? m[0];
  }
  return '';
}
