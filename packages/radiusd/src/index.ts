export * from './codec/index';
export * from './auth/index';
