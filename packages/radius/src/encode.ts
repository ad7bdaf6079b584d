import { randomBytes } from 'node:crypto';
import { type AttributeValue, encodeValue } from './attribute-value';
import { hideUserPassword, saltEncrypt } from './attribute-hiding';
import { computeMessageAuthenticator, packetDigest, secretBytes } from './authenticators';
import { md5 } from './md5';
import { DEFAULT_DICTIONARY, type Dictionary } from './dictionary/dictionary';
import type { AttributeDef } from './dictionary/types';
import { RadiusEncodeError } from './encode-error';
import {
  type RadiusCode,
  type RadiusCodeName,
  codeNumber,
  hasHashedRequestAuthenticator,
  isRequestCode,
} from './packet-codes';
import type { RadiusPacket } from './packet';
import { RADIUS_MAX_LENGTH } from './decode';

/**
 * An attribute to write: by dictionary name (named integer values accepted, e.g. Service-Type "Framed-User"), or by
 * number for one no dictionary knows (then a Buffer is written as is, a number as a 4-byte integer, a string as
 * UTF-8). Values of hidden attributes (User-Password, Tunnel-Password, MS-MPPE keys) are given in clear; the encoder
 * hides them. A tag goes in front of tagged attributes (RFC 2868).
 */
export type AttributeInput =
  | { readonly name: string; readonly value: AttributeValue; readonly tag?: number }
  | { readonly type: number; readonly vendor?: number; readonly value: AttributeValue; readonly tag?: number };

/**
 * An attribute whose value bytes are written as given, whatever the dictionary says of it (not hidden, tagged or
 * split, and not counted when the encoder decides on a Message-Authenticator): for a test tool that sends exactly
 * what it is told, as utm5_radgen's -a and -b.
 */
export interface VerbatimAttribute {
  readonly type: number;
  readonly vendor?: number;
  readonly bytes: Buffer;
}

export interface EncodeOptions {
  readonly dictionary?: Dictionary;
  /**
   * Add a Message-Authenticator: as the first attribute (the Blast-RADIUS advice), or where the attributes list one
   * (its value is ignored: it is computed). Default: for a response, when the request had one; for a request, for
   * Status-Server and whenever EAP-Message or Message-Authenticator is listed (RFC 3579, RFC 5997).
   */
  readonly messageAuthenticator?: boolean;
  /** Source of salts, identifiers and Access-Request authenticators; tests pass a fixed one. */
  readonly random?: (size: number) => Buffer;
}

export interface EncodeRequestOptions extends EncodeOptions {
  /** Default: random. */
  readonly identifier?: number;
  /** For Access-Request and Status-Server only (others are hashed). Default: 16 random bytes. */
  readonly authenticator?: Buffer;
}

const ZERO16 = Buffer.alloc(16);
/**
 * One scratch buffer: encoding is synchronous, and the result is copied out at the end. The room past the largest
 * packet takes the secret, so the authenticator's MD5 runs over the bytes in place instead of a concatenated copy.
 */
const scratch = Buffer.allocUnsafe(RADIUS_MAX_LENGTH * 2);

/** Writes attributes into the scratch buffer after a 20-byte header, checking every size limit on the way. */
class AttributeWriter {
  private off = 20;
  /** Offset of the Message-Authenticator's value once written, else -1. */
  private maAt = -1;

  constructor(
    private readonly dictionary: Dictionary,
    private readonly secret: Buffer,
    /** The authenticator hidden attributes are made with, or undefined where none exists yet (hashed requests). */
    private readonly hidingAuthenticator: Buffer | undefined,
    private readonly random: (size: number) => Buffer,
    private readonly codeLabel: string,
    /** Whether the packet gets a Message-Authenticator: where one is listed, else first (see finish). */
    private readonly wantMa: boolean,
    listsMa: boolean,
  ) {
    if (wantMa && !listsMa) this.messageAuthenticator();
  }

  private reserve(size: number, what: string): number {
    if (this.off + size > RADIUS_MAX_LENGTH) {
      throw new RadiusEncodeError(
        `${this.codeLabel}: adding ${what} makes the packet longer than ${RADIUS_MAX_LENGTH} bytes`,
      );
    }
    const at = this.off;
    this.off += size;
    return at;
  }

  /** Writes an all-zero Message-Authenticator, to be filled in once all is written. */
  private messageAuthenticator(): void {
    const at = this.reserve(18, 'Message-Authenticator');
    scratch[at] = 80;
    scratch[at + 1] = 18;
    scratch.fill(0, at + 2, at + 18);
    this.maAt = at + 2;
  }

  /** Writes the attribute header (and the VSA header for a vendor) for a value of `size`; returns the value offset. */
  private header(vendor: number, type: number, size: number, name: string): number {
    if (vendor === 0) {
      if (size > 253) throw new RadiusEncodeError(`${name}: ${size} bytes, an attribute holds 253`);
      const at = this.reserve(2 + size, name);
      scratch[at] = type;
      scratch[at + 1] = 2 + size;
      return at + 2;
    }
    if (size > 247) throw new RadiusEncodeError(`${name}: ${size} bytes, a vendor attribute holds 247`);
    if (!Number.isInteger(type) || type < 0 || type > 255) throw new RadiusEncodeError(`${name}: vendor type ${type}`);
    // One sub-attribute per Vendor-Specific: what every NAS parses (RFC 2865 5.26 allows more, few read them).
    const at = this.reserve(8 + size, name);
    scratch[at] = 26;
    scratch[at + 1] = 8 + size;
    scratch.writeUInt32BE(vendor, at + 2);
    scratch[at + 6] = type;
    scratch[at + 7] = 2 + size;
    return at + 8;
  }

  raw(vendor: number, type: number, value: Buffer, name: string): void {
    value.copy(scratch, this.header(vendor, type, value.length, name));
  }

  add(a: AttributeInput | VerbatimAttribute): void {
    if ('bytes' in a) {
      const { type, vendor = 0 } = a;
      if (!Number.isInteger(type) || type < 1 || type > 255) throw new RadiusEncodeError(`attribute type ${type}`);
      if (!Number.isInteger(vendor) || vendor < 0 || vendor > 0xffffffff)
        throw new RadiusEncodeError(`vendor ${vendor}`);
      this.raw(vendor, type, a.bytes, `attribute ${vendor}:${type}`);
      return;
    }
    const def = definitionOf(a, this.dictionary);
    if ('name' in a && !def) throw new RadiusEncodeError(`unknown attribute name ${JSON.stringify(a.name)}`);
    if (!def) {
      const { type, vendor = 0 } = a as { type: number; vendor?: number };
      if (!Number.isInteger(type) || type < 1 || type > 255) throw new RadiusEncodeError(`attribute type ${type}`);
      if (!Number.isInteger(vendor) || vendor < 0 || vendor > 0xffffffff)
        throw new RadiusEncodeError(`vendor ${vendor}`);
      this.raw(vendor, type, rawValue(a.value), `attribute ${vendor}:${type}`);
      return;
    }
    if (def.vendor === 0 && def.type === 80) {
      if (this.wantMa && this.maAt < 0) this.messageAuthenticator();
      return;
    }
    const tag = a.tag;
    if (tag !== undefined && (!def.tagged || !Number.isInteger(tag) || tag < 0 || tag > 0x1f)) {
      throw new RadiusEncodeError(`${def.name}: tag ${tag} (tags are 0..31, on tagged attributes only)`);
    }
    if (!def.tagged && !def.hiding && this.direct(def, a.value)) return;
    const value = this.valueOf(def, a);
    // RFC 3579 3.1: an EAP packet longer than one attribute is split over consecutive EAP-Message attributes.
    if (def.vendor === 0 && def.type === 79) {
      for (let i = 0; i < value.length || i === 0; i += 253) this.raw(0, 79, value.subarray(i, i + 253), def.name);
      return;
    }
    this.raw(def.vendor, def.type, value, def.name);
  }

  /** Writes the common cases (a number for an integer, a string for text) straight into the packet. */
  private direct(def: AttributeDef, v: AttributeValue): boolean {
    if (def.dataType === 'integer' && typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) {
      scratch.writeUInt32BE(v, this.header(def.vendor, def.type, 4, def.name));
      return true;
    }
    if (def.dataType === 'text' && typeof v === 'string' && def.type !== 79) {
      const size = Buffer.byteLength(v, 'utf8');
      scratch.write(v, this.header(def.vendor, def.type, size, def.name), size, 'utf8');
      return true;
    }
    return false;
  }

  private valueOf(def: AttributeDef, a: AttributeInput): Buffer {
    const tag = a.tag;
    let value: Buffer = encodeValue(def, a.value);
    if (def.tagged && def.dataType === 'integer') {
      // RFC 2868 3: the tag replaces the integer's high byte.
      if (value[0] !== 0) throw new RadiusEncodeError(`${def.name}: a tagged integer holds 24 bits`);
      value = Buffer.from(value);
      value[0] = tag ?? 0;
      return value;
    }
    if (def.hiding) {
      if (!this.hidingAuthenticator) {
        throw new RadiusEncodeError(
          `${def.name} cannot be hidden in a ${this.codeLabel} (its authenticator is a hash)`,
        );
      }
      value =
        def.hiding === 'user-password'
          ? hideUserPassword(value, this.secret, this.hidingAuthenticator)
          : saltEncrypt(value, this.secret, this.hidingAuthenticator, this.random(2));
    }
    // A tagged text value starting with a byte <= 0x1F would read as a tag, so it gets an explicit tag 0.
    if (def.tagged && (tag !== undefined || def.hiding === 'salted' || (value.length > 0 && value[0]! <= 0x1f))) {
      return Buffer.concat([Buffer.from([tag ?? 0]), value]);
    }
    return value;
  }

  /**
   * Writes the header (the authenticator field gets `authenticator`), fills in the Message-Authenticator (if written),
   * then, if `digestAuthenticator` is given, the authenticator field with MD5(packet with `digestAuthenticator`
   * there + secret); returns a copy of the finished packet.
   */
  finish(code: number, identifier: number, authenticator: Buffer, digestAuthenticator?: Buffer): Buffer {
    const maAt = this.maAt;
    const len = this.off;
    scratch[0] = code;
    scratch[1] = identifier;
    scratch.writeUInt16BE(len, 2);
    authenticator.copy(scratch, 4, 0, 16);
    const packet = scratch.subarray(0, len);
    if (maAt >= 0) computeMessageAuthenticator(packet, authenticator, maAt, this.secret).copy(scratch, maAt);
    if (digestAuthenticator) {
      digestAuthenticator.copy(scratch, 4, 0, 16);
      const digest =
        len + this.secret.length <= scratch.length
          ? md5(scratch.subarray(0, len + this.secret.copy(scratch, len)))
          : packetDigest(packet, digestAuthenticator, this.secret);
      digest.copy(scratch, 4);
    }
    return Buffer.from(packet);
  }
}

function rawValue(value: AttributeValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new RadiusEncodeError(`raw integer ${value}`);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value);
    return b;
  }
  return Buffer.from(String(value), 'utf8');
}

function resolveCode(code: RadiusCodeName | number): RadiusCode {
  const n = codeNumber(code);
  if (n === undefined) throw new RadiusEncodeError(`unknown packet code ${JSON.stringify(code)}`);
  return n;
}

function definitionOf(a: AttributeInput, dictionary: Dictionary): AttributeDef | undefined {
  return 'name' in a ? dictionary.named(a.name) : dictionary.attribute(a.vendor ?? 0, a.type);
}

/** Whether `a` is the standard attribute `type` (80 Message-Authenticator, 79 EAP-Message); verbatim bytes never are. */
function isStandard(a: AttributeInput | VerbatimAttribute, type: number, dictionary: Dictionary): boolean {
  if ('bytes' in a) return false;
  const def = definitionOf(a, dictionary);
  return def !== undefined && def.vendor === 0 && def.type === type;
}

/**
 * Encodes the answer to `request`: same identifier, Proxy-State attributes copied back in order (RFC 2865 5.33), the
 * Message-Authenticator (RFC 3579 3.2) and then the Response Authenticator over the finished bytes.
 */
export function encodeResponse(
  request: RadiusPacket,
  code: RadiusCodeName | number,
  attributes: readonly AttributeInput[],
  secret: Buffer | string,
  options: EncodeOptions = {},
): Buffer {
  const c = resolveCode(code);
  if (isRequestCode(c)) throw new RadiusEncodeError(`${code} is a request, not a response`);
  const dictionary = options.dictionary ?? DEFAULT_DICTIONARY;
  const s = secretBytes(secret);
  const wantMa = options.messageAuthenticator ?? request.attributes.some((a) => a.vendor === 0 && a.type === 80);
  const listsMa = attributes.some((a) => isStandard(a, 80, dictionary));
  const w = new AttributeWriter(
    dictionary,
    s,
    request.authenticator,
    options.random ?? randomBytes,
    String(code),
    wantMa,
    listsMa,
  );
  for (const a of attributes) w.add(a);
  for (const a of request.attributes) if (a.vendor === 0 && a.type === 33) w.raw(0, 33, a.raw, 'Proxy-State');
  return w.finish(c, request.identifier, request.authenticator, request.authenticator);
}

/**
 * Encodes a request: Access-Request and Status-Server with a random authenticator (hidden attributes made with it);
 * Accounting-, Disconnect- and CoA-Request with the hashed one of RFC 2866/5176, computed after the
 * Message-Authenticator as RFC 5176 3.3 orders.
 */
export function encodeRequest(
  code: RadiusCodeName | number,
  attributes: readonly (AttributeInput | VerbatimAttribute)[],
  secret: Buffer | string,
  options: EncodeRequestOptions = {},
): Buffer {
  const c = resolveCode(code);
  if (!isRequestCode(c)) throw new RadiusEncodeError(`${code} is not a request`);
  const dictionary = options.dictionary ?? DEFAULT_DICTIONARY;
  const random = options.random ?? randomBytes;
  const s = secretBytes(secret);
  const hashed = hasHashedRequestAuthenticator(c);
  if (hashed && options.authenticator)
    throw new RadiusEncodeError(`${code} has a computed authenticator, not a given one`);
  const authenticator = hashed ? ZERO16 : (options.authenticator ?? random(16));
  if (authenticator.length !== 16) throw new RadiusEncodeError('the authenticator is 16 bytes');
  const identifier = options.identifier ?? random(1)[0]!;
  if (!Number.isInteger(identifier) || identifier < 0 || identifier > 255) {
    throw new RadiusEncodeError(`identifier ${identifier} is outside 0..255`);
  }
  const listsMa = attributes.some((a) => isStandard(a, 80, dictionary));
  const wantMa =
    options.messageAuthenticator ?? (c === 12 || listsMa || attributes.some((a) => isStandard(a, 79, dictionary)));
  const w = new AttributeWriter(
    dictionary,
    s,
    hashed ? undefined : authenticator,
    random,
    String(code),
    wantMa,
    listsMa,
  );
  for (const a of attributes) w.add(a);
  return w.finish(c, identifier, authenticator, hashed ? ZERO16 : undefined);
}
