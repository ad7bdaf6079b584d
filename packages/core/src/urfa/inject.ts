import { UtmError } from '@utm5/common';
import {
  CallArgs,
  LayoutErrorTag,
  ValueQueue,
  VarStore,
  decodeLayout,
  encodeLayout,
  formatFid,
  resultToVars,
  type CallResult,
  type LayoutNode,
  type OutputValue,
} from '@utm5/protocol';
import type { Principal } from '../system-users/principal';
import type { HandlerContext } from './core-function';
import type { FunctionRegistry } from './registry';

export class InjectError extends UtmError {}

/** A call's inputs as a script gives them: a scalar per name, a list for the names a <for> loop reads by index. */
export type InjectArgs = Readonly<Record<string, OutputValue>>;

/** What a client would have received. */
export interface InjectReply {
  readonly name: string;
  readonly fid: number;
  /** The outputs as a client decodes them from the wire values. */
  readonly output: VarStore;
  /** The function's data said it failed: an <error> tag of its layout was reached, as urfaclient reports it. */
  readonly error: LayoutErrorTag | undefined;
  /** The data attribute payloads the server would have sent. */
  readonly values: readonly Buffer[];
  /** The output value by name (and index path for loop outputs); undefined when the layout did not reach it. */
  get(name: string, ...path: number[]): string | undefined;
}

export interface InjectOptions {
  readonly peer?: string;
  readonly restoredBy?: Principal;
  /** Skip the permission check, as for the core's own calls. */
  readonly trusted?: boolean;
}

/**
 * Runs a URFA function in process, without a socket (fastify's inject is the model): the inputs go through the
 * function's input layout to wire values and back as the server decodes them, the handler runs with the principal's
 * rights checked, and its result goes through the output layout to the values a client decodes. Handler tests use
 * it so the layouts are exercised with the handler.
 */
export function urfaInjector(ctx: HandlerContext & { readonly functions: FunctionRegistry }) {
  return async function inject(
    fn: string | number,
    args: InjectArgs,
    principal: Principal,
    o: InjectOptions = {},
  ): Promise<InjectReply> {
    const f = typeof fn === 'number' ? ctx.functions.get(fn) : ctx.functions.byFunctionName(fn);
    if (!f)
      throw new InjectError(
        'UTM_URFA_UNKNOWN_FUNCTION',
        `no URFA function ${typeof fn === 'number' ? formatFid(fn) : fn}`,
      );
    const { schema } = f;
    if (!o.trusted && !ctx.systemUsers.permitted(principal, schema.id)) {
      throw new InjectError(
        'UTM_URFA_FORBIDDEN',
        `${principal.kind} '${principal.login}' may not call ${schema.name} (${formatFid(schema.id)})`,
      );
    }
    const known = inputNames(schema.input);
    const unknown = Object.keys(args).filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new InjectError(
        'UTM_URFA_BAD_INPUT',
        `${schema.name} has no input ${unknown.map((n) => `'${n}'`).join(', ')}`,
      );
    }
    const now = () => ctx.clock.now();
    let sent: ReturnType<typeof encodeLayout>;
    try {
      sent = encodeLayout(schema.input, { vars: resultToVars(args as CallResult), now });
    } catch (err) {
      throw new InjectError('UTM_URFA_BAD_INPUT', `input of ${schema.name}: ${(err as Error).message}`, { cause: err });
    }
    if (sent.error) throw new InjectError('UTM_URFA_BAD_INPUT', `input of ${schema.name}: ${sent.error.message}`);
    const vars = new VarStore();
    decodeLayout(schema.input, new ValueQueue(sent.values), { vars, now });
    const peer = o.peer ?? '127.0.0.1:0';
    const result = await f.handler(
      {
        principal,
        fid: schema.id,
        args: new CallArgs(vars),
        peer,
        peerIp: peer.replace(/:\d+$/, ''),
        restoredBy: o.restoredBy,
      },
      ctx,
    );
    const { values } = encodeLayout(schema.output, { vars: resultToVars(result), now });
    const output = new VarStore();
    let error: LayoutErrorTag | undefined;
    try {
      decodeLayout(schema.output, new ValueQueue(values), { vars: output, now });
    } catch (err) {
      if (!(err instanceof LayoutErrorTag)) throw err;
      error = err;
    }
    return {
      name: schema.name,
      fid: schema.id,
      output,
      error,
      values,
      get: (name, ...path) => output.get(name, path.length > 0 ? path : [0]),
    };
  };
}

export type Inject = ReturnType<typeof urfaInjector>;

/** The names a layout reads or writes as values (loop counters and <set> targets are not inputs). */
function inputNames(nodes: readonly LayoutNode[], out = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.tag === 'if' || n.tag === 'for') inputNames(n.body, out);
    else if (n.tag !== 'set' && n.tag !== 'error' && n.tag !== 'break') out.add(n.name);
  }
  return out;
}
