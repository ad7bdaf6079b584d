import type { AttributeValue } from './attribute-value';
import type { Dictionary } from './dictionary/dictionary';
import type { DataType } from './dictionary/types';
import type { RadiusCodeName } from './packet-codes';

/** One attribute as decoded, in packet order. Vendor attributes appear one by one, unwrapped from their VSA. */
export interface RadiusAttribute {
  /** 0 for the standard space, else the vendor's enterprise number. */
  readonly vendor: number;
  readonly type: number;
  /** Dictionary name, or "Attr-N" / "Attr-26.VENDOR.N" for one no dictionary knows (then `dataType` is octets). */
  readonly name: string;
  readonly dataType: DataType;
  readonly value: AttributeValue;
  /** RFC 2868 tag, for tagged attributes that carried one. */
  readonly tag?: number;
  /** The value's bytes as on the wire (tag and salt included), a view into the packet. */
  readonly raw: Buffer;
  /** A hidden attribute (User-Password, Tunnel-Password, MPPE keys) decoded without a secret: `value` is `raw`. */
  readonly hidden?: boolean;
  /**
   * A known attribute whose bytes do not fit its type (an integer of 3 bytes, a password of 17): kept raw under the
   * "Attr-" name, as FreeRADIUS does, so `get()` by its proper name does not see a value of the wrong type.
   */
  readonly malformed?: boolean;
}

/**
 * The decoder's RadiusAttribute: `raw` is made on first use from offsets into the packet, since most attributes are
 * read as values and never as bytes, and a Buffer view per attribute was a fifth of the decode time.
 */
export class DecodedAttribute implements RadiusAttribute {
  constructor(
    readonly vendor: number,
    readonly type: number,
    readonly name: string,
    readonly dataType: DataType,
    readonly value: AttributeValue,
    private readonly packet: Buffer,
    private readonly start: number,
    private readonly end: number,
    readonly tag: number | undefined,
    readonly hidden: boolean | undefined,
    readonly malformed: boolean | undefined,
  ) {}

  get raw(): Buffer {
    return this.packet.subarray(this.start, this.end);
  }
}

/** A decoded packet. The lookups take dictionary names (case-insensitive, aliases too) or "Attr-" names. */
export class RadiusPacket {
  constructor(
    readonly code: number,
    readonly codeName: RadiusCodeName,
    readonly identifier: number,
    /** The 16-byte authenticator field, a view into `raw`. */
    readonly authenticator: Buffer,
    readonly attributes: readonly RadiusAttribute[],
    /** The packet's bytes: exactly Length long (trailing padding of the datagram dropped). */
    readonly raw: Buffer,
    private readonly dictionary: Dictionary,
  ) {}

  private matcher(name: string): (a: RadiusAttribute) => boolean {
    const def = this.dictionary.named(name);
    if (def) return (a) => a.type === def.type && a.vendor === def.vendor && a.malformed !== true;
    return (a) => a.name === name;
  }

  find(name: string): RadiusAttribute | undefined {
    return this.attributes.find(this.matcher(name));
  }

  findAll(name: string): RadiusAttribute[] {
    return this.attributes.filter(this.matcher(name));
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The first value of `name`. */
  get(name: string): AttributeValue | undefined {
    return this.find(name)?.value;
  }

  getAll(name: string): AttributeValue[] {
    return this.findAll(name).map((a) => a.value);
  }

  /** The first value of `name` if it is text (a string), else undefined: saves a cast for the common case. */
  text(name: string): string | undefined {
    const v = this.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** The first value of `name` if it is a number (integer, date, byte, short). */
  integer(name: string): number | undefined {
    const v = this.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  /** The first attribute's bytes as on the wire. */
  octets(name: string): Buffer | undefined {
    return this.find(name)?.raw;
  }
}
