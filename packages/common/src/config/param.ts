import type { ValueType } from './value-types';

/**
 * One configuration parameter, declared once. The declaration drives parsing, validation, defaults, `-v` output
 * (secrets masked) and the commented sample file. `Set` is true when the parameter always has a value (mandatory or
 * defaulted), which makes its type in the loaded config non-optional.
 */
export interface Param<T, Set extends boolean = boolean> {
  readonly type: ValueType<T extends readonly (infer E)[] ? E : T>;
  readonly doc: string;
  readonly section: string;
  readonly default: T | undefined;
  /** Words for a default that is not a literal value (e.g. "standard error stream", "set by OS"). */
  readonly defaultText: string | undefined;
  readonly mandatory: boolean;
  readonly repeatable: boolean;
  readonly secret: boolean;
  /** The value written active in the shipped sample file (the one `npm start` uses), if any. */
  readonly sample: readonly string[] | undefined;
  /** An address the program listens on (for utm5_security_check). */
  readonly listen: ListenSpec | undefined;
  /** A path whose file others must not read (for utm5_security_check). */
  readonly file: FileKind | undefined;
  /** Phantom marker for the type of the loaded value. */
  readonly __set?: Set;
}

/**
 * What makes an address parameter a listener: the parameter holding its port (0 there turns the listener off) and,
 * when a switch enables it, that boolean parameter.
 */
export interface ListenSpec {
  readonly port: string;
  readonly enabledBy?: string;
  /** Cleartext unless this boolean parameter is on (Stream's stream_tls); URFA's own rule is urfa_plain_allowed. */
  readonly tlsBy?: string;
}

/** key: secret material, readable by its owner only; state: billing data or spool, not readable by others. */
export type FileKind = 'key' | 'state';

export interface ParamOptions<T> {
  doc: string;
  listen?: ListenSpec;
  file?: FileKind;
  default?: T;
  defaultText?: string;
  mandatory?: boolean;
  secret?: boolean;
  sample?: string | readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- T is the declared value type; the parser's own is erased here
function build<T, S extends boolean>(type: ValueType<any>, o: ParamOptions<T>, repeatable: boolean): Param<T, S> {
  const sample = o.sample === undefined ? undefined : typeof o.sample === 'string' ? [o.sample] : o.sample;
  return {
    type,
    doc: o.doc,
    section: '',
    default: o.default,
    defaultText: o.defaultText,
    mandatory: o.mandatory ?? false,
    repeatable,
    secret: o.secret ?? false,
    sample,
    listen: o.listen,
    file: o.file,
  };
}

export function param<T>(type: ValueType<T>, o: ParamOptions<T> & { default: T }): Param<T, true>;
export function param<T>(type: ValueType<T>, o: ParamOptions<T> & { mandatory: true }): Param<T, true>;
export function param<T>(type: ValueType<T>, o: ParamOptions<T>): Param<T, false>;
export function param<T>(type: ValueType<T>, o: ParamOptions<T>): Param<T, boolean> {
  return build<T, boolean>(type, o, false);
}

/** A parameter that may repeat (the manual says "may hold multiple values"); every line adds one value. */
export function repeatedParam<T>(type: ValueType<T>, o: ParamOptions<T[]>): Param<T[], true> {
  return build<T[], true>(type, { ...o, default: o.default ?? [] }, true);
}

// A spec holds parameters of every value type; with unknown, ParamValue could not infer each one's type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParamSpec = Record<string, Param<any, boolean>>;

export type ParamValue<P> = P extends Param<infer T, infer S> ? (S extends true ? T : T | undefined) : never;

export type ConfigValues<S extends ParamSpec> = { readonly [K in keyof S]: ParamValue<S[K]> };

/** Stamps a section title on each parameter, for the sample file and `-v` output, keeping the record's type. */
export function section<S extends ParamSpec>(title: string, params: S): S {
  const out: ParamSpec = {};
  for (const [name, p] of Object.entries(params)) out[name] = { ...p, section: title };
  return out as S;
}

/** A program's whole configuration: its name, default file and parameters. */
export interface ConfigSchema<S extends ParamSpec = ParamSpec> {
  readonly program: string;
  readonly defaultFile: string;
  /** Leading comment of the sample file: what the program is and how it is run. */
  readonly intro: string;
  readonly params: S;
}

export function defineConfig<S extends ParamSpec>(schema: ConfigSchema<S>): ConfigSchema<S> {
  return Object.freeze({ ...schema, params: Object.freeze({ ...schema.params }) });
}
