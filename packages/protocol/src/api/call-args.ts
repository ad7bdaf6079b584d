import { VarStore } from './variables';

export class CallArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallArgsError';
  }
}

/** Typed reads of a call's decoded inputs, for handlers; a missing or malformed value names the parameter. */
export class CallArgs {
  constructor(readonly vars: VarStore) {}

  str(name: string, index = 0): string {
    // getAt, not get(name, [index]): a batch reads ten values a call, and the path arrays were garbage.
    const v = this.vars.getAt(name, index);
    if (v === undefined) throw new CallArgsError(`input '${name}' is missing`);
    return v;
  }

  int(name: string, index = 0): number {
    const s = this.str(name, index);
    const n = Number(s);
    if (!Number.isInteger(n)) throw new CallArgsError(`input '${name}' is '${s}', not an integer`);
    return n;
  }

  double(name: string, index = 0): number {
    const s = this.str(name, index);
    const n = Number(s);
    if (!Number.isFinite(n)) throw new CallArgsError(`input '${name}' is '${s}', not a number`);
    return n;
  }

  /** long values as numbers; beyond 2^53 they are refused rather than rounded. */
  long(name: string, index = 0): number {
    const s = this.str(name, index);
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new CallArgsError(`input '${name}' is '${s}', outside the exact integer range`);
    return n;
  }

  ip(name: string, index = 0): string {
    return this.str(name, index);
  }

  size(name: string): number {
    return this.vars.size(name);
  }

  ints(name: string): number[] {
    return Array.from({ length: this.vars.size(name) }, (_, i) => this.int(name, i));
  }

  strs(name: string): string[] {
    return Array.from({ length: this.vars.size(name) }, (_, i) => this.str(name, i));
  }
}

/** What a handler returns: name -> value, list (for loops over i) or nested lists (i,j). */
export type OutputValue = string | number | bigint | boolean | readonly OutputValue[];
/** Outputs by name; undefined ones are left out (a function whose <if> skips them). */
export type CallResult = Readonly<Record<string, OutputValue | undefined>>;

function toText(v: string | number | bigint | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

export function resultToVars(result: CallResult): VarStore {
  const vars = new VarStore();
  const conv = (v: OutputValue): unknown =>
    Array.isArray(v) ? v.map(conv) : toText(v as string | number | bigint | boolean);
  for (const [name, v] of Object.entries(result)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) vars.setTree(name, conv(v));
    else vars.set(name, [0], toText(v as string | number | bigint | boolean));
  }
  return vars;
}
