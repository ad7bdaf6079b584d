// The logger alone (winston and its transports), for a tool that loads it only when a log file is named: importing
// it from the package's index would load winston at every start.
export { createLogger } from './log/logger';
