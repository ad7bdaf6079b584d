export { collectorConfig, type CollectorConfig } from './config';
export { Collector, type CollectorCounters } from './collector';
