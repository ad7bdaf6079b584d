export { runTrafficCase, TRAFFIC_USERS, TRAFFIC_MONTHS } from './traffic-case';
export { runDialupCase, DIALUP_USERS, DIALUP_PRICES, DIALUP_MONTHS } from './dialup-case';
export {
  runCase,
  playMonths,
  CASE_START,
  type CaseOptions,
  type CaseEnv,
  type CaseDaemon,
  type CaseMonth,
} from './case-harness';
export { startBin, runBin, waitUntil, BIN, type Child } from './programs';
export { runTelephonyCase, caseCalls, TEL_ZONES, TEL_TARIFFS, TEL_TIMEZONE, TEL_START } from './telephony-case';
export { naiveCost, naiveRounded, dayPartAt, type NaiveTariff, type DayPart } from './tel-naive-rater';
