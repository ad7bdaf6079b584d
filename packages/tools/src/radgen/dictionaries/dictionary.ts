/** The value types the `radius` package decodes: text, raw bytes, 32-bit integers, IPv4 addresses, unix times. */
export type AttributeType = 'string' | 'octets' | 'integer' | 'ipaddr' | 'date';

/**
 * One vendor's attributes (RFC 2865 §5.26 format: one-octet type and length), declared once as a table; the
 * FreeRADIUS-format text the `radius` package loads is derived from it by {@link dictionaryText}.
 */
export interface VendorDictionary {
  readonly vendor: string;
  /** IANA Private Enterprise Number. */
  readonly id: number;
  readonly attributes: readonly (readonly [name: string, type: number, valueType: AttributeType])[];
  /** Names of integer values: [attribute, name, value]. */
  readonly values?: readonly (readonly [attribute: string, name: string, value: number])[];
}

/** The dictionary in FreeRADIUS syntax (VENDOR, BEGIN-VENDOR, ATTRIBUTE, VALUE, END-VENDOR). */
export function dictionaryText(d: VendorDictionary): string {
  return [
    `VENDOR ${d.vendor} ${d.id}`,
    `BEGIN-VENDOR ${d.vendor}`,
    ...d.attributes.map(([name, type, valueType]) => `ATTRIBUTE ${name} ${type} ${valueType}`),
    ...(d.values ?? []).map(([attr, name, value]) => `VALUE ${attr} ${name} ${value}`),
    `END-VENDOR ${d.vendor}`,
    '',
  ].join('\n');
}

/** Consecutive string attributes from `first` on, as many vendors number them. */
export function stringRun(first: number, names: readonly string[]): [string, number, AttributeType][] {
  return names.map((name, i) => [name, first + i, 'string']);
}
