import { type AttributeValue, decodeValue } from './attribute-value';
import { saltDecrypt, stripNulPadding, unhideUserPassword } from './attribute-hiding';
import { DEFAULT_DICTIONARY, type Dictionary, rawAttributeName } from './dictionary/dictionary';
import type { AttributeDef } from './dictionary/types';
import { codeName, isRequestCode } from './packet-codes';
import { secretBytes } from './authenticators';
import { DecodedAttribute, RadiusPacket, type RadiusAttribute } from './packet';

export const RADIUS_HEADER_LENGTH = 20;
/** RFC 2865 3: the maximum packet length; longer datagrams are refused before anything is read. */
export const RADIUS_MAX_LENGTH = 4096;

/**
 * Why a datagram is not a RADIUS packet: too short for the header, a Length field that is impossible or longer than
 * the datagram, a code this server does not speak, attributes that overrun the packet or have a length below 2.
 * `internal` would be a bug in the decoder itself (the fuzz test asserts it never happens).
 */
export type DecodeFailureReason = 'short' | 'length' | 'code' | 'attribute' | 'internal';

export type DecodeResult =
  | { readonly ok: true; readonly packet: RadiusPacket }
  | { readonly ok: false; readonly reason: DecodeFailureReason; readonly message: string; readonly offset: number };

export interface DecodeOptions {
  /**
   * For a response: the authenticator of the request it answers, which hid its Tunnel-Password and MPPE keys. A
   * request's own authenticator is used for requests.
   */
  readonly requestAuthenticator?: Buffer;
  readonly dictionary?: Dictionary;
}

interface Context {
  readonly dictionary: Dictionary;
  readonly secret: Buffer | undefined;
  readonly hidingAuthenticator: Buffer | undefined;
}

/**
 * Decodes one datagram. Never throws: every failure is a reason with the offset where it was found, for the listener
 * to count and log at debug (a library never logs). With `secret`, hidden attributes are revealed; without it they
 * keep their wire bytes and are marked `hidden`. Authenticators are not checked here: see authenticators.ts.
 * Attribute values that are Buffers are views into `buf`.
 */
export function decodePacket(buf: Buffer, secret?: Buffer | string, options: DecodeOptions = {}): DecodeResult {
  try {
    return decode(buf, secret, options);
  } catch (err) {
    return fail('internal', 0, `decoder failed unexpectedly: ${(err as Error)?.message ?? String(err)}`);
  }
}

function fail(reason: DecodeFailureReason, offset: number, message: string): DecodeResult {
  return { ok: false, reason, message, offset };
}

function decode(buf: Buffer, secret: Buffer | string | undefined, options: DecodeOptions): DecodeResult {
  if (!Buffer.isBuffer(buf)) return fail('short', 0, 'not a byte buffer');
  if (buf.length < RADIUS_HEADER_LENGTH) {
    return fail('short', 0, `${buf.length} bytes; a RADIUS packet has at least ${RADIUS_HEADER_LENGTH}`);
  }
  const code = buf[0]!;
  const name = codeName(code);
  if (name === undefined) return fail('code', 0, `unknown packet code ${code}`);
  const length = buf.readUInt16BE(2);
  if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_LENGTH) {
    return fail('length', 2, `Length field ${length} is outside ${RADIUS_HEADER_LENGTH}..${RADIUS_MAX_LENGTH}`);
  }
  // RFC 2865 3: bytes past Length are padding and ignored; a datagram shorter than Length is discarded.
  if (length > buf.length)
    return fail('length', 2, `Length field says ${length} bytes, the datagram has ${buf.length}`);
  const raw = buf.subarray(0, length);
  const authenticator = raw.subarray(4, RADIUS_HEADER_LENGTH);
  const ctx: Context = {
    dictionary: options.dictionary ?? DEFAULT_DICTIONARY,
    secret: secret === undefined ? undefined : secretBytes(secret),
    hidingAuthenticator: isRequestCode(code) ? authenticator : options.requestAuthenticator,
  };
  const attributes: RadiusAttribute[] = [];
  for (let off = RADIUS_HEADER_LENGTH; off < length;) {
    if (off + 2 > length)
      return fail('attribute', off, `attribute header at offset ${off} is cut off by the packet end`);
    const type = raw[off]!;
    const len = raw[off + 1]!;
    if (len < 2) return fail('attribute', off, `attribute ${type} at offset ${off} has length ${len}, below 2`);
    if (off + len > length) {
      return fail('attribute', off, `attribute ${type} at offset ${off} (length ${len}) runs past the packet end`);
    }
    if (type === 26) decodeVendorSpecific(raw, off + 2, off + len, ctx, attributes);
    else attributes.push(decodeAttribute(ctx.dictionary.attribute(0, type), 0, type, raw, off + 2, off + len, ctx));
    off += len;
  }
  return { ok: true, packet: new RadiusPacket(code, name, buf[1]!, authenticator, attributes, raw, ctx.dictionary) };
}

/**
 * RFC 2865 5.26: vendor id, then sub-attributes in the common type/length format. The whole VSA in `raw[start..end)`
 * is checked before any of it is split, so a vendor with another format (or garbage) stays one raw Vendor-Specific
 * attribute and re-encodes to the same bytes. Vendors no dictionary knows are split too, kept as octets.
 */
function decodeVendorSpecific(raw: Buffer, start: number, end: number, ctx: Context, out: RadiusAttribute[]): void {
  const vendor = end - start >= 4 ? raw.readUInt32BE(start) : 0;
  let wellFormed = vendor !== 0 && end - start >= 6;
  for (let off = start + 4; wellFormed && off < end;) {
    const len = off + 2 <= end ? raw[off + 1]! : 0;
    if (len < 2 || off + len > end) wellFormed = false;
    off += len;
  }
  if (!wellFormed) {
    const bytes = raw.subarray(start, end);
    out.push(
      new DecodedAttribute(0, 26, 'Vendor-Specific', 'vsa', bytes, raw, start, end, undefined, undefined, undefined),
    );
    return;
  }
  for (let off = start + 4; off < end;) {
    const type = raw[off]!;
    const len = raw[off + 1]!;
    out.push(decodeAttribute(ctx.dictionary.attribute(vendor, type), vendor, type, raw, off + 2, off + len, ctx));
    off += len;
  }
}

function rawAttribute(
  vendor: number,
  type: number,
  raw: Buffer,
  start: number,
  end: number,
  malformed: boolean,
): RadiusAttribute {
  const value = raw.subarray(start, end);
  const name = rawAttributeName(vendor, type);
  return new DecodedAttribute(
    vendor,
    type,
    name,
    'octets',
    value,
    raw,
    start,
    end,
    undefined,
    undefined,
    malformed || undefined,
  );
}

/** Decodes the attribute whose value is `raw[start..end)`. */
function decodeAttribute(
  def: AttributeDef | undefined,
  vendor: number,
  type: number,
  raw: Buffer,
  start: number,
  end: number,
  ctx: Context,
): RadiusAttribute {
  if (!def) return rawAttribute(vendor, type, raw, start, end, false);
  let from = start;
  let tag: number | undefined;
  if (def.tagged) {
    // RFC 2868 3: a tagged integer always spends its first byte on the tag (leaving 24 bits); Tunnel-Password
    // always has one (3.5); a tagged text value has one only when its first byte is 0x00..0x1F.
    if (def.dataType === 'integer') {
      if (end - start !== 4) return rawAttribute(vendor, type, raw, start, end, true);
      const value = raw.readUIntBE(start + 1, 3);
      return new DecodedAttribute(
        vendor,
        type,
        def.name,
        'integer',
        value,
        raw,
        start,
        end,
        raw[start]!,
        undefined,
        undefined,
      );
    }
    if (def.hiding === 'salted' || (end > start && raw[start]! <= 0x1f)) {
      if (end === start) return rawAttribute(vendor, type, raw, start, end, true);
      tag = raw[start]!;
      from = start + 1;
    }
  }
  let value: AttributeValue | undefined;
  if (def.hiding) {
    if (!ctx.secret || !ctx.hidingAuthenticator) {
      const bytes = raw.subarray(start, end);
      return new DecodedAttribute(vendor, type, def.name, def.dataType, bytes, raw, start, end, tag, true, undefined);
    }
    const data = raw.subarray(from, end);
    const plain =
      def.hiding === 'user-password'
        ? unhideUserPassword(data, ctx.secret, ctx.hidingAuthenticator)
        : saltDecrypt(data, ctx.secret, ctx.hidingAuthenticator);
    if (!plain) return rawAttribute(vendor, type, raw, start, end, true);
    value = decodeValue(
      def.dataType,
      def.hiding === 'user-password' && def.dataType === 'text' ? stripNulPadding(plain) : plain,
    );
  } else {
    value = decodeValue(def.dataType, raw, from, end);
  }
  if (value === undefined) return rawAttribute(vendor, type, raw, start, end, true);
  return new DecodedAttribute(vendor, type, def.name, def.dataType, value, raw, start, end, tag, undefined, undefined);
}
