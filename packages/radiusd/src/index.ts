export * from './auth/index';
export { radiusConfig, type RadiusConfig } from './config';
export { RadiusDaemon } from './radius-daemon';
export type { TelCounters } from './telephony/tel-server';
