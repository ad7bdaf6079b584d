import { isIP } from 'node:net';
import { parseCidr, type Cidr } from '../net/subnet';

/**
 * How one kind of configuration value is read and written. `parse` throws a ValueRejected whose text completes the
 * sentence "bad value '...' for NAME: ...", so every error names what is allowed.
 */
export interface ValueType<T> {
  readonly kind: string;
  /** What the value may be, in words for the sample file and error messages. */
  readonly allowed: string;
  parse(raw: string): T;
  format(value: T): string;
}

export class ValueRejected extends Error {}

const INT_RE = /^[+-]?\d+$/;

export function intType(opts: { min?: number; max?: number } = {}): ValueType<number> {
  const { min, max } = opts;
  const allowed =
    min !== undefined && max !== undefined
      ? `integer from ${min} to ${max}`
      : min !== undefined
        ? `integer not less than ${min}`
        : max !== undefined
          ? `integer not greater than ${max}`
          : 'integer';
  return {
    kind: 'int',
    allowed,
    parse(raw) {
      if (!INT_RE.test(raw)) throw new ValueRejected(`expected ${allowed}`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw new ValueRejected(`expected ${allowed}`);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        throw new ValueRejected(`out of range, expected ${allowed}`);
      }
      return n;
    },
    format: (v) => String(v),
  };
}

export const portType: ValueType<number> = { ...intType({ min: 1, max: 65535 }), kind: 'port' };

export function stringType(opts: { nonEmpty?: boolean } = {}): ValueType<string> {
  return {
    kind: 'string',
    allowed: opts.nonEmpty ? 'non-empty string' : 'string',
    parse(raw) {
      if (opts.nonEmpty && raw.length === 0) throw new ValueRejected('expected a non-empty string');
      return raw;
    },
    format: (v) => v,
  };
}

export const pathType: ValueType<string> = { ...stringType({ nonEmpty: true }), kind: 'path', allowed: 'path to a file' };
export const dirType: ValueType<string> = { ...stringType({ nonEmpty: true }), kind: 'path', allowed: 'path to a directory' };

const TRUE_WORDS = ['enable', 'enabled', 'yes', 'on', 'true', '1'];
const FALSE_WORDS = ['disable', 'disabled', 'no', 'off', 'false', '0'];

/** The manual writes enable/disable and yes/on/enable; all the usual spellings are accepted. */
export const boolType: ValueType<boolean> = {
  kind: 'bool',
  allowed: 'enable or disable (also yes/no, on/off, 1/0)',
  parse(raw) {
    const w = raw.toLowerCase();
    if (TRUE_WORDS.includes(w)) return true;
    if (FALSE_WORDS.includes(w)) return false;
    throw new ValueRejected('expected enable or disable (also yes/no, on/off, 1/0)');
  },
  format: (v) => (v ? 'enable' : 'disable'),
};

export function enumType<const V extends string>(values: readonly V[]): ValueType<V> {
  const allowed = `one of ${values.join(', ')}`;
  return {
    kind: 'enum',
    allowed,
    parse(raw) {
      if ((values as readonly string[]).includes(raw)) return raw as V;
      throw new ValueRejected(`expected ${allowed}`);
    },
    format: (v) => v,
  };
}

/** A literal IPv4 or IPv6 address (0.0.0.0 and :: meaning every interface). */
export const ipType: ValueType<string> = {
  kind: 'ip',
  allowed: 'IPv4 or IPv6 address (0.0.0.0 for every interface)',
  parse(raw) {
    if (isIP(raw) === 0) throw new ValueRejected('expected an IPv4 or IPv6 address such as 127.0.0.1');
    return raw;
  },
  format: (v) => v,
};

const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;

/** An IP address or a DNS name. */
export const hostType: ValueType<string> = {
  kind: 'host',
  allowed: 'IP address or host name',
  parse(raw) {
    if (isIP(raw) !== 0 || HOST_RE.test(raw)) return raw;
    throw new ValueRejected('expected an IP address or a host name');
  },
  format: (v) => v,
};

/** Byte sizes: a plain integer, or with a K/M/G suffix (powers of 1024). */
export function sizeType(opts: { min?: number } = {}): ValueType<number> {
  const min = opts.min ?? 0;
  const allowed = `size in bytes, not less than ${min} (K, M, G suffixes allowed)`;
  return {
    kind: 'size',
    allowed,
    parse(raw) {
      const m = /^(\d+)([KkMmGg]?)$/.exec(raw);
      if (!m) throw new ValueRejected(`expected ${allowed}`);
      const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
      const n = Number(m[1]) * mult;
      if (!Number.isSafeInteger(n) || n < min) throw new ValueRejected(`out of range, expected ${allowed}`);
      return n;
    },
    format: (v) => String(v),
  };
}

/** An IANA time zone name, checked against the ICU data Node carries. */
export const timezoneType: ValueType<string> = {
  kind: 'timezone',
  allowed: 'IANA time zone name such as Europe/Moscow or UTC',
  parse(raw) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: raw });
      return raw;
    } catch {
      throw new ValueRejected('expected an IANA time zone name such as Europe/Moscow or UTC');
    }
  },
  format: (v) => v,
};

/** A network in CIDR notation (10.0.0.0/8, ::1/128) or a single address. */
export const cidrType: ValueType<Cidr> = {
  kind: 'cidr',
  allowed: 'network in CIDR notation such as 127.0.0.0/8 or ::1/128',
  parse(raw) {
    try {
      return parseCidr(raw);
    } catch {
      throw new ValueRejected('expected a network in CIDR notation such as 127.0.0.0/8 or ::1/128');
    }
  },
  format: (v) => `${v.network}/${v.bits}`,
};
