export { collectorConfig, type CollectorConfig } from './config';
export { Collector, type CollectorCounters } from './collector';
export { Spool, type SpooledBatch, type SpoolProblem } from './spool';
