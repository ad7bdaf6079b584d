export { runTrafficCase, TRAFFIC_USERS, TRAFFIC_MONTHS, CASE_START, type CaseOptions } from './traffic-case';
export { startBin, runBin, waitUntil, BIN, type Child } from './programs';
