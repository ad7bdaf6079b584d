/**
 * Types for the `radius` npm package (1.1.x ships no declarations), which tests use as an independent second
 * implementation to check what utm5_radgen sends. A devDependency: no program uses it.
 */

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
  encode(args: {
    code: string;
    identifier: number;
    secret: string;
    attributes: RadiusAttribute[];
    authenticator?: Buffer;
    add_message_authenticator?: boolean;
  }): Buffer;
  encode_response(args: { packet: RadiusPacket; code: string; secret: string; attributes?: RadiusAttribute[] }): Buffer;
  /** Throws on a malformed packet, and for a request whose authenticator does not match the secret. */
  decode(args: { packet: Buffer; secret: string }): RadiusPacket;
  /** Whether a reply's Response Authenticator (and Message-Authenticator, if the request had one) fits the request. */
  verify_response(args: { request: Buffer; response: Buffer; secret: string }): boolean;
}
