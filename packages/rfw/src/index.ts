export { rfwConfig, type RfwConfig } from './config';
export { RfwDaemon } from './rfw-daemon';
export { CommandExecutor, ciscoInvocation, localInvocation, type Invocation } from './command-executor';
export { RfwState } from './state-file';
export { RfwErrorCodes, RfwStateError } from './errors';
export { parseRfwArgs, RfwUsageError } from './command-line';
export { main } from './main';
