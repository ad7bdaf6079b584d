import { readFileSync } from 'node:fs';
import { UtmError } from '@utm5/common';

/** One action of a run: its script's name and the -<name> values given to it. */
export interface ActionCall {
  readonly action: string;
  readonly params: ReadonlyMap<string, string[]>;
}

export class CallListError extends UtmError {}

/** A script parameter's flag, as on the command line: -name. */
export const PARAM_FLAG = /^-[A-Za-z_][\w.]*$/;

/** Splits a line into words: blanks separate, '...' and "..." quote (\" and \\ inside double quotes). */
export function splitWords(text: string, where: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let w = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      const q = text[i]!;
      if (q === "'" || q === '"') {
        const close = (j: number): number => {
          for (; j < text.length; j++) {
            if (q === '"' && text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) {
              w += text[++j];
              continue;
            }
            if (text[j] === q) return j;
            w += text[j];
          }
          throw new CallListError('UTM_USAGE', `${where}: unclosed ${q}`);
        };
        i = close(i + 1) + 1;
      } else {
        w += text[i++];
      }
    }
    words.push(w);
  }
  return words;
}

/** -name value pairs into a map (a repeated name gives several values). */
export function collectParams(words: readonly string[], where: string, into = new Map<string, string[]>()) {
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    if (!PARAM_FLAG.test(t))
      throw new CallListError('UTM_USAGE', `${where}: unexpected '${t}': parameters are given as -name value`);
    if (i + 1 >= words.length) throw new CallListError('UTM_USAGE', `${where}: parameter ${t} needs a value`);
    const name = t.slice(1);
    into.set(name, [...(into.get(name) ?? []), words[++i]!]);
  }
  return into;
}

/**
 * Reads a file of calls (--calls FILE, - for standard input): one action a line, its parameters after it as on the
 * command line (`get_userinfo -user_id 7`); blank lines and lines starting with # are skipped.
 */
export function readCallList(file: string): ActionCall[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CallListError('UTM_USAGE', `--calls ${file}: cannot read the file: ${(err as Error).message}`);
  }
  const calls: ActionCall[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const where = `${file}:${i + 1}`;
    const [action, ...rest] = splitWords(t, where);
    if (!/^[\w.-]+$/.test(action!))
      throw new CallListError('UTM_USAGE', `${where}: '${action}' is not an action name (a line starts with one)`);
    calls.push({ action: action!, params: collectParams(rest, where) });
  });
  if (calls.length === 0) throw new CallListError('UTM_USAGE', `--calls ${file}: no calls in the file`);
  return calls;
}

/** A call's parameters over the ones given for every call (its own win, name by name). */
export function withCommon(call: ActionCall, common: ReadonlyMap<string, string[]>): ActionCall {
  if (common.size === 0) return call;
  const params = new Map(common);
  for (const [k, v] of call.params) params.set(k, v);
  return { action: call.action, params };
}
