import { ProtocolError } from '../wire/protocol-error';
import { decodeScalar, encodeInteger, encodeScalar, type ScalarType } from '../urfa/values';
import type { LayoutNode } from './layout';
import {
  conditionHolds,
  evaluate,
  evaluateIndex,
  evaluateInt,
  VariableError,
  type IndexPath,
  type VarStore,
} from './variables';

/** An <error> tag was reached: the function's data says it failed (e.g. user_id 0 -> "user not found"). */
export class LayoutErrorTag extends Error {
  constructor(
    readonly code: number,
    readonly comment: string,
    readonly detail: string | undefined,
  ) {
    super(detail === undefined ? comment : `${comment} ${detail}`);
    this.name = 'LayoutErrorTag';
  }
}

/** Decoding ran out of data attributes before the layout was complete. */
export class NeedMoreData extends Error {
  /**
   * @param atLeast how many values in all the layout needs at the least, when a loop's count told (0: unknown): a
   *   caller gathering a large call's packets need not try again before it has them.
   */
  constructor(readonly atLeast = 0) {
    super('more data attributes are needed');
  }
}

/** Where decoded values come from: the data attributes of a call, in order. */
export class ValueQueue {
  private pos = 0;
  constructor(private readonly values: readonly Buffer[]) {}
  next(): Buffer {
    if (this.pos >= this.values.length) throw new NeedMoreData();
    return this.values[this.pos++]!;
  }
  get consumed(): number {
    return this.pos;
  }
  get total(): number {
    return this.values.length;
  }
}

export interface LayoutContext {
  readonly vars: VarStore;
  readonly now: () => number;
  /** Called for every scalar decoded, in wire order (urfaclient prints outputs from here). */
  readonly onValue?: (node: { tag: ScalarType | 'binary'; name: string }, path: IndexPath, value: string) => void;
}

const BINARY_CHUNK = 1024;
type Flow = 'next' | 'break';

function errorTag(node: Extract<LayoutNode, { tag: 'error' }>, ctx: LayoutContext): LayoutErrorTag {
  const code = Number(node.code);
  const detail = node.variable !== undefined ? (ctx.vars.get(node.variable) ?? '') : undefined;
  return new LayoutErrorTag(Number.isInteger(code) ? code : 1, node.comment, detail);
}

function condition(node: Extract<LayoutNode, { tag: 'if' }>, ctx: LayoutContext): boolean {
  return conditionHolds(ctx.vars.get(node.variable) ?? '', evaluate(node.value, ctx.vars, ctx.now), node.condition);
}

function doSet(node: Extract<LayoutNode, { tag: 'set' }>, ctx: LayoutContext, strict: boolean): void {
  const dstPath = evaluateIndex(node.dstIndex, ctx.vars, ctx.now);
  let value: string;
  if (node.src !== undefined) value = ctx.vars.require(node.src, evaluateIndex(node.srcIndex, ctx.vars, ctx.now));
  else value = evaluate(node.value ?? '', ctx.vars, ctx.now);
  ctx.vars.set(node.dst, dstPath, value, strict);
}

function runLoop(node: Extract<LayoutNode, { tag: 'for' }>, ctx: LayoutContext, body: () => Flow): void {
  const from = evaluateInt(node.from, ctx.vars, ctx.now, `for ${node.name}: from`);
  const count = evaluateInt(node.count, ctx.vars, ctx.now, `for ${node.name}: count`);
  if (count < 0) throw new VariableError(`for ${node.name}: count ${count} is negative`);
  for (let i = from; i < from + count; i++) {
    ctx.vars.set(node.name, [0], String(i), false);
    if (body() === 'break') break;
  }
}

type ScalarLayout = Extract<LayoutNode, { tag: ScalarType }>;
type ForLayout = Extract<LayoutNode, { tag: 'for' }>;

const SCALAR_TAGS: ReadonlySet<string> = new Set(['integer', 'long', 'double', 'string', 'ip_address']);
const flatBodies = new WeakMap<ForLayout, readonly ScalarLayout[] | null>();

/**
 * The body of a loop that is only scalars indexed by the loop variable alone (rows of a batch), or null. Such a loop
 * is read and written value by value without evaluating an index expression per value: a batch of thousands of rows
 * spent most of its decoding there.
 */
function flatBody(node: ForLayout): readonly ScalarLayout[] | null {
  let body = flatBodies.get(node);
  if (body === undefined) {
    const flat = node.body.every(
      (b) =>
        SCALAR_TAGS.has(b.tag) &&
        (b as ScalarLayout).arrayIndex?.trim() === node.name &&
        (b as ScalarLayout).name !== node.name,
    );
    body = flat && node.body.length > 0 ? (node.body as readonly ScalarLayout[]) : null;
    flatBodies.set(node, body);
  }
  return body;
}

function loopBounds(node: ForLayout, ctx: LayoutContext): { from: number; count: number } {
  const from = evaluateInt(node.from, ctx.vars, ctx.now, `for ${node.name}: from`);
  const count = evaluateInt(node.count, ctx.vars, ctx.now, `for ${node.name}: count`);
  if (count < 0) throw new VariableError(`for ${node.name}: count ${count} is negative`);
  return { from, count };
}

/** A flat loop's values read into their variables, as the generic loop would (the counter ends at its last value). */
function decodeFlat(node: ForLayout, body: readonly ScalarLayout[], source: ValueQueue, ctx: LayoutContext): void {
  const { from, count } = loopBounds(node, ctx);
  const need = source.consumed + count * body.length;
  if (need > source.total) throw new NeedMoreData(need);
  const vars = ctx.vars;
  for (let i = from; i < from + count; i++) {
    for (const b of body) {
      const raw = source.next();
      let v: string;
      try {
        v = decodeScalar(b.tag, raw);
      } catch (err) {
        if (err instanceof ProtocolError)
          throw new ProtocolError('bad_value', source.consumed - 1, `${b.name}: ${err.message}`);
        throw err;
      }
      vars.setAt(b.name, i, v);
    }
  }
  if (count > 0) vars.set(node.name, [0], String(from + count - 1), false);
}

/** A flat loop's values written from their variables, with the generic scalar's defaults and errors. */
function encodeFlat(node: ForLayout, body: readonly ScalarLayout[], ctx: LayoutContext, values: Buffer[]): void {
  const { from, count } = loopBounds(node, ctx);
  const vars = ctx.vars;
  // A default may name the counter: it is then kept current, as the generic loop keeps it.
  const counter = body.some((b) => b.default !== undefined);
  for (let i = from; i < from + count; i++) {
    if (counter) vars.set(node.name, [0], String(i), false);
    for (const b of body) {
      let v = vars.getAt(b.name, i);
      if (v === undefined && b.default !== undefined) {
        v = evaluate(b.default, vars, ctx.now);
        vars.setAt(b.name, i, v);
      }
      if (v === undefined) throw new VariableError(`parameter '${b.name}'[${i}] is not set and has no default`);
      try {
        values.push(encodeScalar(b.tag, v));
      } catch (err) {
        throw new VariableError(`parameter '${b.name}': ${(err as Error).message}`);
      }
    }
  }
  if (count > 0) vars.set(node.name, [0], String(from + count - 1), false);
}

/**
 * Serializes values from variables by a layout (urfaclient's inputs, the core's outputs). Stops at an <error> node,
 * as the reader will. Returns the data attribute payloads in order.
 */
export function encodeLayout(
  nodes: readonly LayoutNode[],
  ctx: LayoutContext,
): { values: Buffer[]; error?: LayoutErrorTag } {
  const values: Buffer[] = [];
  let stopped: LayoutErrorTag | undefined;
  const run = (list: readonly LayoutNode[]): Flow | 'stop' => {
    for (const [pos, node] of list.entries()) {
      switch (node.tag) {
        case 'integer':
        case 'long':
        case 'double':
        case 'string':
        case 'ip_address': {
          const path = evaluateIndex(node.arrayIndex, ctx.vars, ctx.now);
          let v: string | undefined;
          // UTM5's pattern "<integer name="n"/><set dst="n_array" src="n" dst_index="i"/>" keeps per-row counts in
          // n_array: when writing, n for this row comes from there (and is set, for the loops that follow).
          const keep =
            node.arrayIndex === undefined
              ? list
                  .slice(pos + 1)
                  .find(
                    (x): x is Extract<LayoutNode, { tag: 'set' }> =>
                      x.tag === 'set' && x.src === node.name && x.dstIndex !== undefined,
                  )
              : undefined;
          if (keep) {
            v = ctx.vars.get(keep.dst, evaluateIndex(keep.dstIndex, ctx.vars, ctx.now));
            if (v !== undefined) ctx.vars.set(node.name, [0], v, false);
          }
          v ??= ctx.vars.get(node.name, path);
          if (v === undefined && node.default !== undefined) {
            // A defaulted input becomes the variable's value, so later counts and conditions can use it.
            v = evaluate(node.default, ctx.vars, ctx.now);
            ctx.vars.set(node.name, path, v, false);
          }
          if (v === undefined) {
            throw new VariableError(
              `parameter '${node.name}'${node.arrayIndex ? `[${path.join('][')}]` : ''} is not set and has no default`,
            );
          }
          try {
            values.push(encodeScalar(node.tag, v));
          } catch (err) {
            throw new VariableError(`parameter '${node.name}': ${(err as Error).message}`);
          }
          break;
        }
        case 'binary': {
          const path = evaluateIndex(node.arrayIndex, ctx.vars, ctx.now);
          const data = Buffer.from(ctx.vars.require(node.name, path), 'base64');
          const chunks = Math.ceil(data.length / BINARY_CHUNK);
          values.push(encodeInteger(String(chunks)));
          for (let i = 0; i < chunks; i++) values.push(data.subarray(i * BINARY_CHUNK, (i + 1) * BINARY_CHUNK));
          break;
        }
        case 'if':
          if (condition(node, ctx)) {
            const f = run(node.body);
            if (f !== 'next') return f;
          }
          break;
        case 'for': {
          const flat = flatBody(node);
          if (flat) {
            encodeFlat(node, flat, ctx, values);
            break;
          }
          let stop = false;
          runLoop(node, ctx, () => {
            const f = run(node.body);
            if (f === 'stop') {
              stop = true;
              return 'break';
            }
            return f;
          });
          if (stop) return 'stop';
          break;
        }
        case 'error':
          stopped = errorTag(node, ctx);
          return 'stop';
        case 'set':
          doSet(node, ctx, true);
          break;
        case 'break':
          return 'break';
      }
    }
    return 'next';
  };
  run(nodes);
  return stopped ? { values, error: stopped } : { values };
}

/**
 * Reads values into variables by a layout (the core's inputs, urfaclient's outputs). Throws NeedMoreData when the
 * data runs out (the caller waits for more and retries from the start), LayoutErrorTag at an <error> node.
 */
export function decodeLayout(nodes: readonly LayoutNode[], source: ValueQueue, ctx: LayoutContext): void {
  const run = (list: readonly LayoutNode[]): Flow => {
    for (const node of list) {
      switch (node.tag) {
        case 'integer':
        case 'long':
        case 'double':
        case 'string':
        case 'ip_address': {
          const path = evaluateIndex(node.arrayIndex, ctx.vars, ctx.now);
          const raw = source.next();
          let v: string;
          try {
            v = node.intOrString && raw.length !== 4 ? raw.toString('utf8') : decodeScalar(node.tag, raw);
          } catch (err) {
            if (err instanceof ProtocolError) {
              throw new ProtocolError('bad_value', source.consumed - 1, `${node.name}: ${err.message}`);
            }
            throw err;
          }
          ctx.vars.set(node.name, path, v, false);
          ctx.onValue?.(node, path, v);
          break;
        }
        case 'binary': {
          const path = evaluateIndex(node.arrayIndex, ctx.vars, ctx.now);
          const count = Number(decodeScalar('integer', source.next()));
          if (count < 0 || count > 1_000_000)
            throw new ProtocolError('bad_value', source.consumed - 1, `${node.name}: ${count} chunks`);
          const parts: Buffer[] = [];
          for (let i = 0; i < count; i++) parts.push(source.next());
          const v = Buffer.concat(parts).toString('base64');
          ctx.vars.set(node.name, path, v, false);
          ctx.onValue?.(node, path, v);
          break;
        }
        case 'if':
          if (condition(node, ctx) && run(node.body) === 'break') return 'break';
          break;
        case 'for': {
          // urfaclient's onValue prints in wire order with each value's path: the generic loop keeps that.
          const flat = ctx.onValue ? null : flatBody(node);
          if (flat) decodeFlat(node, flat, source, ctx);
          else runLoop(node, ctx, () => run(node.body));
          break;
        }
        case 'error':
          throw errorTag(node, ctx);
        case 'set':
          doSet(node, ctx, false);
          break;
        case 'break':
          return 'break';
      }
    }
    return 'next';
  };
  run(nodes);
}
