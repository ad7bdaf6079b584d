/**
 * How a dictionary declares an attribute. Each vendor is one table of rows (type, name, data type, options) from
 * which the lookups, the decoder's value typing and the encoder's checks are all derived (STYLE rule 5).
 */

/**
 * Wire data types (RFC 8044 names where they exist). `text` is UTF-8 (FreeRADIUS calls it "string"), `octets` is
 * binary, `vsa` marks Vendor-Specific (26), whose content the codec splits into vendor attributes.
 */
export type DataType =
  | 'text'
  | 'octets'
  | 'integer'
  | 'ipaddr'
  | 'ipv6addr'
  | 'ipv6prefix'
  | 'ifid'
  | 'date'
  | 'integer64'
  | 'byte'
  | 'short'
  | 'vsa';

/**
 * How a value is hidden on the wire: `user-password` is RFC 2865 5.2 (MD5 of secret + request authenticator, chained
 * every 16 bytes); `salted` is RFC 2868 3.5 / RFC 2548 2.4.2 (two salt bytes, a length byte, then the same chain).
 */
export type Hiding = 'user-password' | 'salted';

export interface AttributeOptions {
  /** RFC 2868 tag byte in front of the value (0x00-0x1F). */
  readonly tagged?: boolean;
  readonly hiding?: Hiding;
  /** Named integer values, as FreeRADIUS's VALUE lines. */
  readonly values?: Readonly<Record<string, number>>;
  /** Other names the same attribute is known by (looked up, never produced). */
  readonly aliases?: readonly string[];
}

/** One dictionary row: [type, name, data type, options]. */
export type AttributeRow = readonly [type: number, name: string, dataType: DataType, options?: AttributeOptions];

export interface VendorTable {
  readonly id: number;
  readonly name: string;
  readonly attributes: readonly AttributeRow[];
}

/** An attribute definition as the codec uses it, resolved from a row. */
export interface AttributeDef {
  /** 0 for the standard attribute space, else the IANA enterprise number. */
  readonly vendor: number;
  readonly type: number;
  readonly name: string;
  readonly dataType: DataType;
  readonly tagged: boolean;
  readonly hiding: Hiding | undefined;
  /** Name -> number for named values; empty when the attribute has none. */
  readonly values: ReadonlyMap<string, number>;
  /** Number -> first declared name. */
  readonly valueNames: ReadonlyMap<number, string>;
}
