import type { CallResult, FunctionSchema, UrfaCall } from '@utm5/protocol';
import type { Core } from '../core';
import type { Principal } from '../system-users/principal';

/** A URFA function of the core, declared once: its api.xml schema and its handler. */
export interface CoreFunction {
  readonly schema: FunctionSchema;
  /** Module name reported by rpcf_liburfa_symtab and rpcf_whoami. */
  readonly module: string;
  handler(call: UrfaCall<Principal>, core: Core): Promise<CallResult> | CallResult;
}

export function defineFunction(
  name: string,
  id: number,
  io: { input?: FunctionSchema['input']; output?: FunctionSchema['output']; comment?: string; module?: string },
  handler: CoreFunction['handler'],
): CoreFunction {
  return {
    schema: { name, id, input: io.input ?? [], output: io.output ?? [], ...(io.comment ? { comment: io.comment } : {}) },
    module: io.module ?? 'core',
    handler,
  };
}
