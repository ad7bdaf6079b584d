import type { ConfigSchema, Param, ParamSpec } from './param';
import type { LoadedConfig } from './load';

const MASK = '********';

function formatValue(p: Param<unknown>, v: unknown): string[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (p.type.format as (y: unknown) => string)(x));
}

function defaultWords(p: Param<unknown>): string {
  if (p.mandatory) return 'mandatory';
  if (p.defaultText) return `default: ${p.defaultText}`;
  const vals = formatValue(p, p.default);
  if (vals.length === 0) return 'default: not set';
  return `default: ${vals.map((v) => (v === '' ? 'empty string' : v)).join(', ')}`;
}

function wrap(text: string, width = 112): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/**
 * The commented sample file: every parameter with its doc, what it allows and its default, commented out; the ones
 * with a sample value also written active. Generated, never edited by hand (a test compares the shipped file).
 */
export function renderSample(schema: ConfigSchema<ParamSpec>): string {
  const lines: string[] = [];
  for (const l of wrap(schema.intro)) lines.push(l ? `# ${l}` : '#');
  lines.push('#');
  lines.push('# Format: parameter=value, one per line. Everything before the first "=" is the name and everything');
  lines.push('# after it the value: whitespace counts, so write name=value with no spaces around "=". Empty lines are');
  lines.push('# ignored; a line starting with # is a comment. A commented line below shows a default.');
  let current = '';
  for (const [name, p] of Object.entries(schema.params)) {
    if (p.section !== current) {
      current = p.section;
      lines.push('');
      lines.push(`# ==== ${current} ====`);
    }
    lines.push('');
    for (const l of wrap(p.doc)) lines.push(`# ${l}`);
    const traits = [`${p.type.allowed}`, defaultWords(p)];
    if (p.repeatable) traits.push('may be repeated, one value per line');
    if (p.secret) traits.push('secret: never logged, masked in -v output');
    for (const l of wrap(`Allowed: ${traits.join('; ')}.`)) lines.push(`# ${l}`);
    const defaults = formatValue(p, p.default);
    if (p.sample) {
      for (const s of p.sample) lines.push(`${name}=${s}`);
    } else if (defaults.length > 0 && !p.defaultText) {
      for (const d of defaults) lines.push(`#${name}=${d}`);
    } else {
      lines.push(`#${name}=`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * The `-v` listing: every parameter with its effective value and where it came from; secrets masked.
 */
export function describeConfig<S extends ParamSpec>(schema: ConfigSchema<S>, loaded: LoadedConfig<S>): string {
  const lines: string[] = [];
  const params = schema.params as ParamSpec;
  for (const [name, p] of Object.entries(params)) {
    const src = loaded.sources[name];
    const where = src === 'default' ? 'default' : src === 'unset' ? (p.defaultText ?? 'not set') : `${src.file}:${src.line}`;
    const vals = formatValue(p, (loaded.values as Record<string, unknown>)[name]);
    const shown = p.secret ? vals.map((v) => (v === '' ? '' : MASK)) : vals;
    if (shown.length === 0) lines.push(`${name}= (${where})`);
    for (const v of shown) lines.push(`${name}=${v} (${where})`);
  }
  return lines.join('\n');
}
