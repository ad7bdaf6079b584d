export { testCore, INIT, type TestCore } from './core-fixture';
