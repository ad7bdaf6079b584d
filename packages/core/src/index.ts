export { coreConfig, type CoreConfig } from './config/core-config';
export { Core, type CoreDeps, type ConnectionFactory } from './core';
export { main, run } from './main';
export { isPermitted } from './system-users/permission';
export { SystemUserService } from './system-users/system-user-service';
export type { Principal } from './system-users/principal';
export { DEFAULT_SYSTEM_USERS } from './system-users/defaults';
