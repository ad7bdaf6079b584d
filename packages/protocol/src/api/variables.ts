/**
 * urfaclient's variable model: every variable is an array of strings (of any dimension) in one global scope; a
 * name without an index means element 0. Writing may replace an element or append the next one; anything else is
 * out of range and aborts the script with an error saying where.
 */
export class VariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariableError';
  }
}

interface Cell {
  value: string | undefined;
  items: Cell[];
}

const cell = (value?: string): Cell => ({ value, items: [] });

export type IndexPath = readonly number[];

export class VarStore {
  private readonly vars = new Map<string, Cell>();

  has(name: string): boolean {
    return this.vars.has(name);
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  private walk(name: string, path: IndexPath): Cell | undefined {
    let c = this.vars.get(name);
    for (const i of path) {
      if (!c || i < 0 || i >= c.items.length) return undefined;
      c = c.items[i];
    }
    return c;
  }

  /** The value at name[path] (path [0] when omitted), or undefined. */
  get(name: string, path: IndexPath = [0]): string | undefined {
    return this.walk(name, path)?.value;
  }

  /** Like get, but a missing element aborts with an error naming it. */
  require(name: string, path: IndexPath = [0]): string {
    const v = this.get(name, path);
    if (v === undefined) {
      if (!this.vars.has(name)) throw new VariableError(`variable '${name}' is not set`);
      throw new VariableError(
        `${name}[${path.join('][')}] is out of range (size ${this.size(name, path.slice(0, -1))})`,
      );
    }
    return v;
  }

  /** Number of elements of name (or of the sub-array at path). */
  size(name: string, path: IndexPath = []): number {
    return this.walk(name, path)?.items.length ?? 0;
  }

  /**
   * Writes name[path] = value. Strict (scripts): each index may name an existing element or the next one.
   * Lenient (decoding): gaps are filled with empty strings, as index orders such as "j,i" fill sparsely.
   */
  set(name: string, path: IndexPath, value: string, strict = true): void {
    let c = this.vars.get(name);
    if (!c) {
      c = cell();
      this.vars.set(name, c);
    }
    // An index loop, not path.entries(): decoding sets every value of a call, and the iterator's garbage showed.
    for (let depth = 0; depth < path.length; depth++) {
      const i = path[depth]!;
      if (i < 0 || !Number.isInteger(i)) throw new VariableError(`bad index ${i} for ${name}`);
      if (i > c.items.length) {
        if (strict) {
          throw new VariableError(
            `${name}[${path.slice(0, depth + 1).join('][')}] is out of range: ` +
              `the next element that can be written is index ${c.items.length}`,
          );
        }
        while (c.items.length < i) c.items.push(cell(''));
      }
      if (i === c.items.length) c.items.push(cell());
      c = c.items[i]!;
    }
    c.value = value;
  }

  /** get(name, [i]) without the path (the rows of a flat loop). */
  getAt(name: string, i: number): string | undefined {
    return this.vars.get(name)?.items[i]?.value;
  }

  /** set(name, [i], value, false) without the path (the rows of a flat loop). */
  setAt(name: string, i: number, value: string): void {
    let c = this.vars.get(name);
    if (!c) {
      c = cell();
      this.vars.set(name, c);
    }
    if (i === c.items.length) c.items.push(cell(value));
    else if (i < c.items.length && i >= 0) c.items[i]!.value = value;
    else this.set(name, [i], value, false);
  }

  /** Replaces the whole variable with a flat list. */
  setList(name: string, values: readonly string[]): void {
    this.vars.set(name, { value: undefined, items: values.map((v) => cell(v)) });
  }

  /** The flat list of name's first-dimension values. */
  list(name: string): string[] {
    return (this.vars.get(name)?.items ?? []).map((c) => c.value ?? '');
  }

  remove(name: string, index?: number): void {
    if (index === undefined) {
      this.vars.delete(name);
      return;
    }
    const c = this.vars.get(name);
    if (!c || index < 0 || index >= c.items.length) {
      throw new VariableError(`cannot remove ${name}[${index}]: out of range (size ${c?.items.length ?? 0})`);
    }
    c.items.splice(index, 1);
  }

  shift(name: string): void {
    const c = this.vars.get(name);
    if (c) c.items.shift();
  }

  /** Sets nested data (from data files): arrays become dimensions, strings leaves. */
  setTree(name: string, tree: unknown): void {
    const build = (t: unknown): Cell =>
      Array.isArray(t) ? { value: undefined, items: t.map(build) } : cell(String(t));
    const c = build(tree);
    this.vars.set(name, Array.isArray(tree) ? c : { value: undefined, items: [c] });
  }

  /** Every variable as name[i][j]=value lines, for -debug. */
  dump(): string[] {
    const out: string[] = [];
    const rec = (prefix: string, c: Cell) => {
      if (c.value !== undefined && prefix.includes('[')) out.push(`${prefix}=${c.value}`);
      c.items.forEach((x, i) => rec(`${prefix}[${i}]`, x));
    };
    for (const [name, c] of [...this.vars.entries()].sort(([a], [b]) => a.localeCompare(b))) rec(name, c);
    return out;
  }
}

/** The built-in functions of expressions. */
export const MAX_TIME = 2000000000;

/**
 * An expression is a variable's value, a built-in function's result (now(), max_time(), size(name)), or else the
 * text itself as a constant.
 */
export function evaluate(expr: string, vars: VarStore, now: () => number): string {
  // A set variable's name is the common case (loop counters in indexes): no function call has one's shape.
  if (!expr.includes('(')) {
    const v = vars.get(expr);
    return v !== undefined ? v : expr;
  }
  const t = expr.trim();
  if (t === 'now()') return String(now());
  if (t === 'max_time()') return String(MAX_TIME);
  const m = /^size\(\s*([^)\s]+)\s*\)$/.exec(t);
  if (m) return String(vars.size(m[1]!));
  if (vars.has(expr)) {
    const v = vars.get(expr);
    if (v !== undefined) return v;
  }
  return expr;
}

export function evaluateInt(expr: string, vars: VarStore, now: () => number, what: string): number {
  const v = evaluate(expr, vars, now);
  const n = Number(v);
  if (!Number.isInteger(n)) throw new VariableError(`${what}: '${expr}' is '${v}', not an integer`);
  return n;
}

/** Index specs split once: a layout names the same few ("i", "i,j") for every value it reads. */
const indexParts = new Map<string, readonly string[]>();

/** "i,j" -> the values of i and j. */
export function evaluateIndex(spec: string | undefined, vars: VarStore, now: () => number): IndexPath {
  if (spec === undefined) return [0];
  let parts = indexParts.get(spec);
  if (parts === undefined) {
    parts = spec.trim() === '' ? [] : spec.split(',').map((p) => p.trim());
    if (indexParts.size < 10_000) indexParts.set(spec, parts);
  }
  if (parts.length === 0) return [0];
  return parts.map((p) => evaluateInt(p, vars, now, `array index '${spec}'`));
}

/** The eq/ne test of <if>: equal as text, or as numbers when both sides are numeric ("1" equals "1.0"). */
export function conditionHolds(left: string, right: string, condition: 'eq' | 'ne'): boolean {
  const equal = left === right || (left.trim() !== '' && right.trim() !== '' && Number(left) === Number(right));
  return condition === 'ne' ? !equal : equal;
}
