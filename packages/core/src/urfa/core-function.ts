import type { CallResult, FunctionSchema, UrfaCall } from '@utm5/protocol';
import type { UrfaContext } from './urfa-context';
import type { Principal } from '../system-users/principal';

/** What a handler may call: the domain services, never the database. */
export type HandlerContext = UrfaContext;

/** A URFA function of the core, declared once: its api.xml schema and its handler. */
export interface CoreFunction {
  readonly schema: FunctionSchema;
  /** Module name reported by rpcf_liburfa_symtab and rpcf_whoami. */
  readonly module: string;
  /** Descriptions of input parameters, for the generated action script's -help. */
  readonly docs?: Readonly<Record<string, string>>;
  handler(call: UrfaCall<Principal>, core: HandlerContext): Promise<CallResult> | CallResult;
}

export function defineFunction(
  name: string,
  id: number,
  io: {
    input?: FunctionSchema['input'];
    output?: FunctionSchema['output'];
    comment?: string;
    module?: string;
    docs?: Record<string, string>;
  },
  handler: CoreFunction['handler'],
): CoreFunction {
  return {
    schema: {
      name,
      id,
      input: io.input ?? [],
      output: io.output ?? [],
      ...(io.comment ? { comment: io.comment } : {}),
    },
    module: io.module ?? 'core',
    ...(io.docs ? { docs: io.docs } : {}),
    handler,
  };
}

/** Who a call acts as, for the audit trail. */
export function actorOf(call: { principal: Principal; peerIp: string }): { id: number; login: string; ip: string } {
  return { id: call.principal.id, login: call.principal.login, ip: call.peerIp };
}

/**
 * Runs a change that may be refused. A refusal (any error) is logged with its reason and turned into the function's
 * sentinel output, as UTM5 functions report failure in their data.
 */
export async function guarded<T>(
  core: Pick<HandlerContext, 'log'>,
  call: { principal: { login: string }; peer: string },
  what: string,
  fn: () => Promise<T>,
  sentinel: (err: Error) => T,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    core.log
      .child({ component: 'urfa' })
      .warn(`${call.principal.login}@${call.peer}: ${what} refused: ${(err as Error).message}`);
    return sentinel(err as Error);
  }
}
