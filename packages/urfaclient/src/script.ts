import { readFileSync } from 'node:fs';
import { UtmError } from '@utm5/common';
import {
  LayoutErrorTag,
  VariableError,
  conditionHolds,
  evaluate,
  evaluateIndex,
  evaluateInt,
  type FunctionSchema,
  type IndexPath,
  type VarStore,
} from '@utm5/protocol';
import type { OutputWriter } from './output';
import { XmlFileError, parseXml, requireAttr, type XmlElement } from './xml-tree';

/** A script failed at file:line (a missing variable, an index out of range, a bad tag). */
export class ScriptError extends UtmError {}

/** An <error> tag (in the script or the api.xml scheme) ended the script with its code. */
export class ScriptExit extends UtmError {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super('UTM_SCRIPT_EXIT', message);
  }
}

const SCRIPT_TAGS = new Set([
  'call',
  'parameter',
  'add',
  'sub',
  'mul',
  'div',
  'cat',
  'if',
  'for',
  'message',
  'out',
  'set',
  'error',
  'shift',
  'break',
  'remove',
]);

export interface Script {
  readonly file: string;
  readonly root: XmlElement;
}

export function loadScript(file: string): Script {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new XmlFileError(
      'UTM_XML_READ',
      `no action script ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message} (check -a and -x)`,
    );
  }
  const root = parseXml(text, file);
  if (root.tag !== 'urfa')
    throw new XmlFileError('UTM_XML_TAG', `${file}:${root.line}: the root element must be <urfa>`);
  const check = (el: XmlElement, inCall: boolean) => {
    for (const c of el.children) {
      if (inCall ? c.tag !== 'parameter' : !SCRIPT_TAGS.has(c.tag)) {
        throw new XmlFileError('UTM_XML_TAG', `${file}:${c.line}: <${c.tag}> is not allowed in <${el.tag}>`);
      }
      check(c, c.tag === 'call');
    }
  };
  check(root, false);
  return { file, root };
}

export interface ScriptParameterInfo {
  readonly name: string;
  readonly comment: string;
  readonly value: string | undefined;
  readonly default: string | undefined;
}

/** Every <parameter> a script takes, in order of first appearance (for -help). */
export function scriptParameters(s: Script): ScriptParameterInfo[] {
  const seen = new Map<string, ScriptParameterInfo>();
  const walk = (el: XmlElement) => {
    for (const c of el.children) {
      if (c.tag === 'parameter' && c.attrs['name'] && !seen.has(c.attrs['name'])) {
        seen.set(c.attrs['name'], {
          name: c.attrs['name'],
          comment: c.attrs['comment'] ?? '',
          value: c.attrs['value'],
          default: c.attrs['default'],
        });
      }
      walk(c);
    }
  };
  walk(s.root);
  return [...seen.values()];
}

export interface ScriptHost {
  readonly api: ReadonlyMap<string, FunctionSchema>;
  readonly vars: VarStore;
  /** -<name> values from the command line (and the config file), which win over everything else. */
  readonly commandLine: ReadonlyMap<string, readonly string[]>;
  readonly out: OutputWriter;
  now(): number;
  /** Calls the function: inputs from vars, outputs into vars and to onValue. */
  call(
    schema: FunctionSchema,
    onValue: (tag: string, name: string, path: IndexPath | undefined, value: string) => void,
  ): Promise<void>;
  debug?(line: string): void;
}

type Flow = 'next' | 'break';

const INT = /^[+-]?\d+$/;

function arith(op: string, a: string, b: string): string {
  if (INT.test(a.trim()) && INT.test(b.trim())) {
    const x = BigInt(a.trim());
    const y = BigInt(b.trim());
    switch (op) {
      case 'add':
        return (x + y).toString();
      case 'sub':
        return (x - y).toString();
      case 'mul':
        return (x * y).toString();
      default:
        if (y === 0n) throw new VariableError(`division by zero (${a} / ${b})`);
        return (x / y).toString();
    }
  }
  const x = Number(a);
  const y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new VariableError(`'${a}' and '${b}' must both be numbers`);
  switch (op) {
    case 'add':
      return String(x + y);
    case 'sub':
      return String(x - y);
    case 'mul':
      return String(x * y);
    default:
      if (y === 0) throw new VariableError(`division by zero (${a} / ${b})`);
      return String(x / y);
  }
}

/** Runs an action script against the core. */
export async function runScript(s: Script, host: ScriptHost): Promise<void> {
  const { vars, now } = host;
  const at = (el: XmlElement, msg: string) =>
    new ScriptError('UTM_SCRIPT', `${s.file}:${el.line}: <${el.tag}>: ${msg}`);
  const attr = (el: XmlElement, name: string) => requireAttr(el, name, s.file);
  const ev = (expr: string) => evaluate(expr, vars, now);

  const parameter = (el: XmlElement) => {
    const name = attr(el, 'name');
    const cli = host.commandLine.get(name);
    if (cli) vars.setList(name, cli);
    else if (el.attrs['value'] !== undefined) vars.setList(name, [ev(el.attrs['value'])]);
    else if (!vars.has(name) && el.attrs['default'] !== undefined) vars.setList(name, [ev(el.attrs['default'])]);
  };

  const call = async (el: XmlElement) => {
    const fname = attr(el, 'function');
    for (const p of el.children) parameter(p);
    const schema = host.api.get(fname);
    if (!schema) throw at(el, `function '${fname}' is not in the api.xml scheme`);
    const show = el.attrs['output'] !== '0';
    host.debug?.(`call ${fname} (${schema.id < 0 ? '-' : ''}0x${Math.abs(schema.id).toString(16)})`);
    if (show) host.out.callStart(fname);
    try {
      await host.call(schema, (tag, name, path, value) => {
        if (show) host.out.value(tag, name, path, value);
      });
    } catch (err) {
      if (err instanceof LayoutErrorTag) throw new ScriptExit(err.code, `${fname}: ${err.message}`);
      if (err instanceof VariableError) throw at(el, `${fname}: ${err.message}`);
      throw err;
    } finally {
      if (show) host.out.callEnd();
    }
  };

  const run = async (list: readonly XmlElement[]): Promise<Flow> => {
    for (const el of list) {
      try {
        switch (el.tag) {
          case 'call':
            await call(el);
            break;
          case 'parameter':
            parameter(el);
            break;
          case 'add':
          case 'sub':
          case 'mul':
          case 'div':
            vars.set(attr(el, 'dst'), [0], arith(el.tag, ev(attr(el, 'arg1')), ev(attr(el, 'arg2'))), false);
            break;
          case 'cat':
            vars.set(attr(el, 'dst'), [0], ev(attr(el, 'arg1')) + ev(attr(el, 'arg2')), false);
            break;
          case 'if': {
            const cond = el.attrs['condition'] ?? 'eq';
            if (cond !== 'eq' && cond !== 'ne') throw at(el, `condition must be eq or ne, not '${cond}'`);
            if (conditionHolds(vars.get(attr(el, 'variable')) ?? '', ev(el.attrs['value'] ?? ''), cond)) {
              if ((await run(el.children)) === 'break') return 'break';
            }
            break;
          }
          case 'for': {
            const name = attr(el, 'name');
            const from = evaluateInt(el.attrs['from'] ?? '0', vars, now, `for ${name}: from`);
            const count = evaluateInt(attr(el, 'count'), vars, now, `for ${name}: count`);
            for (let i = from; i < from + count; i++) {
              vars.set(name, [0], String(i), false);
              if ((await run(el.children)) === 'break') break;
            }
            break;
          }
          case 'message':
            host.out.message(attr(el, 'text'));
            break;
          case 'out': {
            const name = attr(el, 'var');
            if (!vars.has(name)) throw at(el, `variable '${name}' is not set`);
            const n = vars.size(name);
            host.out.out(
              name,
              n <= 1
                ? [{ value: vars.get(name) ?? '' }]
                : Array.from({ length: n }, (_, i) => ({ index: String(i), value: vars.get(name, [i]) ?? '' })),
            );
            break;
          }
          case 'set': {
            const hasSrc = el.attrs['src'] !== undefined;
            if (hasSrc === (el.attrs['value'] !== undefined)) throw at(el, 'needs exactly one of src and value');
            const value = hasSrc
              ? vars.require(el.attrs['src']!, evaluateIndex(el.attrs['src_index'], vars, now))
              : ev(el.attrs['value']!);
            vars.set(attr(el, 'dst'), evaluateIndex(el.attrs['dst_index'], vars, now), value, true);
            break;
          }
          case 'error': {
            const code = Number(el.attrs['code'] ?? '1');
            const v = el.attrs['variable'] !== undefined ? ` ${vars.get(el.attrs['variable']) ?? ''}` : '';
            throw new ScriptExit(
              Number.isInteger(code) && code > 0 && code < 256 ? code : 1,
              `${s.file}:${el.line}: ${el.attrs['comment'] ?? 'error'}${v}`,
            );
          }
          case 'shift':
            vars.shift(attr(el, 'name'));
            break;
          case 'remove': {
            const idx = el.attrs['array_index'];
            vars.remove(attr(el, 'name'), idx === undefined ? undefined : evaluateInt(idx, vars, now, 'array_index'));
            break;
          }
          case 'break':
            return 'break';
        }
      } catch (err) {
        if (err instanceof VariableError) throw at(el, err.message);
        throw err;
      }
    }
    return 'next';
  };

  await run(s.root.children);
}
