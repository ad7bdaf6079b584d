import type { RatedCall, TelClassTariff, TelDirection, TelTariff, TelUsage } from './model';

/** Seconds charged for a call of `duration` seconds by the service's free time and rounding steps. */
export function roundDuration(_t: TelTariff, _duration: number): number {
  throw new Error('roundDuration: not implemented');
}

/** The service's tariff class for a direction: the direction's own when priced, else its zone's; undefined: none. */
export function classOf(_t: TelTariff, _dir: TelDirection | undefined): TelClassTariff | undefined {
  throw new Error('classOf: not implemented');
}

/** Rates one call starting at `start` (unix s) in billing time zone `tz` given the link's usage of the class so far. */
export function rateCall(
  _t: TelTariff,
  _cls: TelClassTariff | undefined,
  _start: number,
  _duration: number,
  _usage: TelUsage,
  _tz: string,
): RatedCall {
  throw new Error('rateCall: not implemented');
}

/**
 * The longest call from `start` that `balance` micro-units pay for (prepaid time first, then prices and borders),
 * and that stays within time covered by a price, at most `cap` seconds.
 */
export function creditSeconds(
  _t: TelTariff,
  _cls: TelClassTariff,
  _start: number,
  _usage: TelUsage,
  _balance: number,
  _cap: number,
  _tz: string,
): number {
  throw new Error('creditSeconds: not implemented');
}
