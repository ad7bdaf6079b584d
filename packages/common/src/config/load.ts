import { readFileSync } from 'node:fs';
import type { ConfigSchema, ConfigValues, Param, ParamSpec } from './param';
import { parseConfigText, type ConfigEntry } from './parse-text';
import { ConfigError, type ConfigProblem } from './config-error';
import { ValueRejected } from './value-types';
import { closestName } from './suggest';

/** Where a loaded value came from: a line of the file, or the declared default. */
export type ValueSource = { readonly file: string; readonly line: number } | 'default' | 'unset';

export interface LoadedConfig<S extends ParamSpec> {
  readonly file: string;
  readonly values: ConfigValues<S>;
  readonly sources: { readonly [K in keyof S]: ValueSource };
  /** Non-fatal findings (unknown parameters, repeated single-valued ones, values with stray whitespace). */
  readonly warnings: readonly ConfigProblem[];
  /** The values of every parameter declared secret, for the logger to mask. */
  readonly secrets: readonly string[];
}

function quote(s: string): string {
  return `'${s.replace(/\t/g, '\\t')}'`;
}

function unknownMessage(name: string, known: Set<string>, value: string): string {
  const trimmed = name.trim();
  if (trimmed !== name && known.has(trimmed)) {
    return `unknown parameter ${quote(name)} ignored: whitespace counts in config files, write ${trimmed}=${value.trim()}`;
  }
  const near = closestName(trimmed, [...known]);
  return near ? `unknown parameter ${quote(name)} ignored; did you mean '${near}'?` : `unknown parameter ${quote(name)} ignored`;
}

/**
 * Validates already-split entries against a schema. Pure: the file is only named, not read, so tests and `-v` use
 * the same path as the daemons.
 */
export function validateEntries<S extends ParamSpec>(
  schema: ConfigSchema<S>,
  file: string,
  entries: readonly ConfigEntry[],
): LoadedConfig<S> {
  const params = schema.params as ParamSpec;
  const known = new Set(Object.keys(params));
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  const sources: Record<string, ValueSource> = {};
  const seenAt: Record<string, number> = {};

  for (const e of entries) {
    const p: Param<unknown> | undefined = params[e.name];
    if (!p) {
      warnings.push({ file, line: e.line, param: e.name, message: unknownMessage(e.name, known, e.value) });
      continue;
    }
    let v: unknown;
    try {
      v = p.type.parse(e.value);
    } catch (err) {
      if (!(err instanceof ValueRejected)) throw err;
      const ws = e.value !== e.value.trim() ? ' (whitespace counts: remove the spaces around the value)' : '';
      errors.push({
        file, line: e.line, param: e.name,
        message: `bad value ${quote(e.value)} for ${e.name}: ${err.message}${ws}`,
      });
      continue;
    }
    if (typeof v === 'string' && v !== v.trim() && v.trim() !== '') {
      warnings.push({
        file, line: e.line, param: e.name,
        message: `value of ${e.name} has leading or trailing whitespace, which is kept as part of the value`,
      });
    }
    if (p.repeatable) {
      if (!(e.name in values) || sources[e.name] === 'default') values[e.name] = [];
      (values[e.name] as unknown[]).push(v);
    } else {
      if (seenAt[e.name] !== undefined) {
        warnings.push({
          file, line: e.line, param: e.name,
          message: `${e.name} is set again (first at line ${seenAt[e.name]}); the value at line ${e.line} is used`,
        });
      }
      values[e.name] = v;
    }
    seenAt[e.name] ??= e.line;
    sources[e.name] = { file, line: e.line };
  }

  for (const [name, p] of Object.entries(params)) {
    if (name in values) continue;
    if (p.mandatory) {
      errors.push({ file, line: 0, param: name, message: `mandatory parameter ${name} is not set (${p.type.allowed})` });
      continue;
    }
    values[name] = p.default;
    sources[name] = p.default === undefined ? 'unset' : 'default';
  }

  if (errors.length > 0) {
    const code = errors.every((x) => x.line === 0) ? 'UTM_CFG_MISSING' : 'UTM_CFG_BAD_VALUE';
    throw new ConfigError(code, errors, { warnings });
  }

  const secrets: string[] = [];
  for (const [name, p] of Object.entries(params)) {
    if (!p.secret) continue;
    const v = values[name];
    for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string' && s !== '') secrets.push(s);
  }

  return {
    file,
    values: Object.freeze(values) as ConfigValues<S>,
    sources: sources as LoadedConfig<S>['sources'],
    warnings,
    secrets,
  };
}

/** Parses and validates config text; lines without '=' are errors naming the line. */
export function loadConfigText<S extends ParamSpec>(schema: ConfigSchema<S>, file: string, text: string): LoadedConfig<S> {
  const parsed = parseConfigText(text);
  if (parsed.malformed.length > 0) {
    throw new ConfigError(
      'UTM_CFG_SYNTAX',
      parsed.malformed.map((m) => ({
        file, line: m.line, param: undefined,
        message: `${quote(m.text)} is not parameter=value (comments start with #)`,
      })),
    );
  }
  return validateEntries(schema, file, parsed.entries);
}

/** Reads, parses and validates a config file. */
export function loadConfigFile<S extends ParamSpec>(schema: ConfigSchema<S>, file: string): LoadedConfig<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError('UTM_CFG_UNREADABLE', [
      { file, line: 0, param: undefined, message: `cannot read configuration file: ${why} (give another with -c)` },
    ], { cause: err });
  }
  return loadConfigText(schema, file, text);
}
