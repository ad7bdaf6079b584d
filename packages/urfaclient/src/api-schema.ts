import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { FunctionSchema, LayoutNode } from '@utm5/protocol';
import { XmlFileError, parseXml, requireAttr, type XmlElement } from './xml-tree';

const SCALARS = new Set(['integer', 'long', 'double', 'string', 'ip_address']);

function parseFid(text: string, file: string, line: number): number {
  const t = text.trim();
  const m = /^(-)?(0x[0-9a-f]+|\d+)$/i.exec(t);
  if (!m) throw new XmlFileError('UTM_XML_ATTR', `${file}:${line}: function id '${text}' is not a number`);
  const n = Number(m[2]);
  return m[1] ? -n : n;
}

function layout(children: readonly XmlElement[], file: string): LayoutNode[] {
  return children.map((el): LayoutNode => {
    const a = el.attrs;
    if (SCALARS.has(el.tag) || el.tag === 'binary') {
      const name = requireAttr(el, 'name', file);
      return {
        tag: el.tag as 'integer',
        name,
        ...(a['array_index'] !== undefined ? { arrayIndex: a['array_index'] } : {}),
        ...(a['default'] !== undefined ? { default: a['default'] } : {}),
      };
    }
    switch (el.tag) {
      case 'if': {
        const cond = a['condition'] ?? 'eq';
        if (cond !== 'eq' && cond !== 'ne')
          throw new XmlFileError('UTM_XML_ATTR', `${file}:${el.line}: condition must be eq or ne`);
        return {
          tag: 'if',
          variable: requireAttr(el, 'variable', file),
          value: a['value'] ?? '',
          condition: cond,
          body: layout(el.children, file),
        };
      }
      case 'for':
        return {
          tag: 'for',
          name: requireAttr(el, 'name', file),
          from: a['from'] ?? '0',
          count: requireAttr(el, 'count', file),
          body: layout(el.children, file),
        };
      case 'error':
        return {
          tag: 'error',
          code: a['code'] ?? '1',
          comment: a['comment'] ?? '',
          ...(a['variable'] !== undefined ? { variable: a['variable'] } : {}),
        };
      case 'set':
        if ((a['src'] === undefined) === (a['value'] === undefined)) {
          throw new XmlFileError('UTM_XML_ATTR', `${file}:${el.line}: <set> needs exactly one of src and value`);
        }
        return {
          tag: 'set',
          dst: requireAttr(el, 'dst', file),
          ...(a['src'] !== undefined ? { src: a['src'] } : {}),
          ...(a['value'] !== undefined ? { value: a['value'] } : {}),
          ...(a['dst_index'] !== undefined ? { dstIndex: a['dst_index'] } : {}),
          ...(a['src_index'] !== undefined ? { srcIndex: a['src_index'] } : {}),
        };
      case 'break':
        return { tag: 'break' };
      default:
        throw new XmlFileError(
          'UTM_XML_TAG',
          `${file}:${el.line}: <${el.tag}> is not allowed in a function's input or output`,
        );
    }
  });
}

/** Reads an api.xml scheme (UTM5's format) into function schemas by name. */
export function parseApiXml(text: string, file: string): Map<string, FunctionSchema> {
  const root = parseXml(text, file);
  if (root.tag !== 'urfa')
    throw new XmlFileError('UTM_XML_TAG', `${file}:${root.line}: the root element must be <urfa>`);
  const out = new Map<string, FunctionSchema>();
  for (const f of root.children) {
    if (f.tag !== 'function')
      throw new XmlFileError('UTM_XML_TAG', `${file}:${f.line}: <${f.tag}> is not allowed in <urfa>`);
    const name = requireAttr(f, 'name', file);
    const id = parseFid(requireAttr(f, 'id', file), file, f.line);
    // NetUP's own api.xml leaves out an empty <output> now and then: a missing section means no values.
    const input = f.children.find((c) => c.tag === 'input');
    const output = f.children.find((c) => c.tag === 'output');
    out.set(name, {
      name,
      id,
      input: layout(input?.children ?? [], file),
      output: layout(output?.children ?? [], file),
      ...(f.attrs['comment'] ? { comment: f.attrs['comment'] } : {}),
    });
  }
  return out;
}

/**
 * Bumped whenever parseApiXml's output changes shape or meaning, so a compiled form from an older parser is never
 * taken for a current one.
 */
const COMPILED_FORMAT = 'utm5-api-1';

/** The precompiled form of a scheme sits beside it: parsing api.xml was most of a CLI tool's start time. */
export function compiledSchemePath(file: string): string {
  return `${file}.compiled.json`;
}

interface CompiledScheme {
  readonly format: string;
  /** sha256 of the scheme's text: the compiled form answers for exactly that text, whatever its mtime says. */
  readonly sha256: string;
  readonly functions: readonly FunctionSchema[];
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

function readCompiled(file: string, sha256: string): Map<string, FunctionSchema> | undefined {
  let parsed: CompiledScheme;
  try {
    parsed = JSON.parse(readFileSync(compiledSchemePath(file), 'utf8')) as CompiledScheme;
  } catch {
    return undefined; // none, unreadable or torn: the XML is the truth
  }
  if (parsed.format !== COMPILED_FORMAT || parsed.sha256 !== sha256 || !Array.isArray(parsed.functions))
    return undefined;
  return new Map(parsed.functions.map((f) => [f.name, f]));
}

function readScheme(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new XmlFileError(
      'UTM_XML_READ',
      `cannot read the scheme ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message} (set -api or xml_path)`,
    );
  }
}

/**
 * Reads an api.xml scheme: from its compiled form when that was made from this very text (see compileApiXml),
 * else by parsing the XML.
 */
export function loadApiXml(file: string): Map<string, FunctionSchema> {
  const text = readScheme(file);
  return readCompiled(file, digest(text)) ?? parseApiXml(text, file);
}

/** Writes the compiled form of a scheme beside it (atomically: a reader sees the old form or the new one). */
export function compileApiXml(file: string): string {
  const text = readScheme(file);
  const compiled: CompiledScheme = {
    format: COMPILED_FORMAT,
    sha256: digest(text),
    functions: [...parseApiXml(text, file).values()],
  };
  const out = compiledSchemePath(file);
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(compiled));
  renameSync(tmp, out);
  return out;
}
