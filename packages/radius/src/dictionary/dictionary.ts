import { ADSL_FORUM } from './adsl-forum';
import { CISCO } from './cisco';
import { MICROSOFT } from './microsoft';
import { MIKROTIK } from './mikrotik';
import { STANDARD_ATTRIBUTES } from './standard';
import type { AttributeDef, AttributeRow, VendorTable } from './types';

/** The name the codec gives an attribute no dictionary knows: FreeRADIUS's "Attr-N" / "Attr-26.VENDOR.N". */
export function rawAttributeName(vendor: number, type: number): string {
  return vendor === 0 ? `Attr-${type}` : `Attr-26.${vendor}.${type}`;
}

/**
 * Lookups derived from the dictionary tables: by (vendor, type) for the decoder, by name (case-insensitive, aliases
 * included) for the encoder and for `packet.get(name)`. Built once; a table that repeats a type or a name is a
 * programming error and throws at construction, so it fails the first test run rather than a NAS's request.
 */
export class Dictionary {
  private readonly byKey = new Map<number, AttributeDef>();
  private readonly byName = new Map<string, AttributeDef>();
  private readonly byLowerName = new Map<string, AttributeDef>();
  private readonly vendorNames = new Map<number, string>();
  private readonly vendorIds = new Map<string, number>();

  constructor(standard: readonly AttributeRow[], vendors: readonly VendorTable[] = []) {
    this.addRows(0, standard);
    for (const v of vendors) {
      if (this.vendorNames.has(v.id)) throw new Error(`dictionary: vendor ${v.id} declared twice`);
      this.vendorNames.set(v.id, v.name);
      this.vendorIds.set(v.name.toLowerCase(), v.id);
      this.addRows(v.id, v.attributes);
    }
  }

  private addRows(vendor: number, rows: readonly AttributeRow[]): void {
    for (const [type, name, dataType, options = {}] of rows) {
      // Vendor types are one byte in the common VSA format (RFC 2865 5.26); standard types one byte too.
      if (!Number.isInteger(type) || type < 1 || type > 255) throw new Error(`dictionary: ${name} has type ${type}`);
      const key = keyOf(vendor, type);
      if (this.byKey.has(key)) throw new Error(`dictionary: ${name} reuses type ${type} of vendor ${vendor}`);
      const values = new Map(Object.entries(options.values ?? {}));
      const valueNames = new Map<number, string>();
      for (const [n, v] of values) if (!valueNames.has(v)) valueNames.set(v, n);
      const def: AttributeDef = {
        vendor,
        type,
        name,
        dataType,
        tagged: options.tagged === true,
        hiding: options.hiding,
        values,
        valueNames,
      };
      this.byKey.set(key, def);
      for (const n of [name, ...(options.aliases ?? [])]) {
        if (this.byLowerName.has(n.toLowerCase())) throw new Error(`dictionary: name ${n} declared twice`);
        this.byName.set(n, def);
        this.byLowerName.set(n.toLowerCase(), def);
      }
    }
  }

  /** The definition of a standard (vendor 0) or vendor attribute, if known. */
  attribute(vendor: number, type: number): AttributeDef | undefined {
    return this.byKey.get(keyOf(vendor, type));
  }

  /** By name or alias, case-insensitively (NAS documentation and UTM5 configs differ in case). */
  named(name: string): AttributeDef | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  vendorName(id: number): string | undefined {
    return this.vendorNames.get(id);
  }

  vendorId(name: string): number | undefined {
    return this.vendorIds.get(name.toLowerCase());
  }

  /** Every definition, standard first, for docs and radgen's attribute listing. */
  definitions(): AttributeDef[] {
    return [...this.byKey.values()];
  }
}

function keyOf(vendor: number, type: number): number {
  // Vendor ids are < 2^32 and types < 256, so the product stays an exact integer below 2^53.
  return vendor * 256 + type;
}

/** RFC attributes plus Cisco, Microsoft, MikroTik and ADSL-Forum: what utm5_radius and radgen speak. */
export const DEFAULT_DICTIONARY = new Dictionary(STANDARD_ATTRIBUTES, [CISCO, MICROSOFT, MIKROTIK, ADSL_FORUM]);

type NamesOf<T extends { readonly attributes: readonly AttributeRow[] }> = T['attributes'][number][1];

/**
 * Every attribute name the default dictionary declares (aliases aside), derived from the tables: code that names an
 * attribute takes this type, so a misspelt or missing name fails to compile instead of at a NAS's request.
 */
export type AttributeName =
  | (typeof STANDARD_ATTRIBUTES)[number][1]
  | NamesOf<typeof CISCO>
  | NamesOf<typeof MICROSOFT>
  | NamesOf<typeof MIKROTIK>
  | NamesOf<typeof ADSL_FORUM>;

/** A named attribute of the default dictionary: its numbers, for code that keeps attributes by number, and values. */
export function attributeDef(name: AttributeName): AttributeDef {
  const def = DEFAULT_DICTIONARY.named(name);
  // Unreachable while AttributeName is derived from the same tables the dictionary is built from.
  if (!def) throw new Error(`dictionary: no attribute ${name}`);
  return def;
}
