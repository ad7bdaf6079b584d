import { VENDOR_DICTIONARIES, dictionaryText } from './dictionaries';

/**
 * An attribute as the `radius` package encodes it: `[name or type, value]` (a Buffer is sent as it is; a string
 * or number is converted by the dictionary type, User-Password hidden), `[name, tag, value]` for tagged ones, or
 * `['Vendor-Specific', vendorId, subAttributes]`.
 */
export type RadiusAttribute = [string | number, ...unknown[]];

/** A packet as the `radius` package decodes it. */
export interface RadiusPacket {
  code: string;
  identifier: number;
  length: number;
  authenticator: Buffer;
  /** By dictionary name; repeated attributes as arrays; vendor attributes under 'Vendor-Specific'. */
  attributes: Record<string, unknown>;
  /** Every attribute in wire order, undecoded. */
  raw_attributes: [number, Buffer][];
}

/** The part of the `radius` package (1.1.x, which ships no type declarations) that UTM5-TS uses. */
export interface RadiusLib {
  encode(args: { code: string; identifier: number; secret: string; attributes: RadiusAttribute[]; authenticator?: Buffer;
    add_message_authenticator?: boolean }): Buffer;
  encode_response(args: { packet: RadiusPacket; code: string; secret: string; attributes?: RadiusAttribute[] }): Buffer;
  /** Throws on a malformed packet, and for a request whose authenticator does not match the secret. */
  decode(args: { packet: Buffer; secret: string }): RadiusPacket;
  /** Whether a reply's Response Authenticator (and Message-Authenticator, if the request had one) fits the request. */
  verify_response(args: { request: Buffer; response: Buffer; secret: string }): boolean;
  attr_id_to_name(id: number, vendor?: number): string | undefined;
  load_dictionaries(): void;
  /** Parses dictionary text (what `load_dictionary(file)` does with a file's contents); returns its $INCLUDEs. */
  _load_dictionary(text: string): string[];
}

let loaded: RadiusLib | undefined;

/**
 * The `radius` package with its RFC dictionaries and our vendor tables loaded. The package takes extra
 * dictionaries only as files (`add_dictionary(path)`); rather than write files, the vendor tables are fed as text
 * to `_load_dictionary`, the parser `load_dictionary` calls on a file's contents (radius 1.1.x, the last release).
 */
export function radiusLib(): RadiusLib {
  if (loaded) return loaded;
  const lib = require('radius') as RadiusLib;
  if (typeof lib._load_dictionary !== 'function') {
    throw new Error('this version of the radius package has no _load_dictionary: the vendor dictionaries cannot be loaded (radius 1.1.x is supported)');
  }
  lib.load_dictionaries();
  for (const d of VENDOR_DICTIONARIES) lib._load_dictionary(dictionaryText(d));
  loaded = lib;
  return lib;
}
