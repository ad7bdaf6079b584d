/**
 * The catalogue of error codes raised by @utm5/common. Each code names one situation; the classes that raise them
 * live beside the code that detects the situation.
 */
export const CommonErrorCodes = {
  UTM_CFG_UNREADABLE: 'the configuration file cannot be read',
  UTM_CFG_SYNTAX: 'a configuration line is not parameter=value',
  UTM_CFG_BAD_VALUE: 'a parameter has a value outside what it allows',
  UTM_CFG_MISSING: 'a mandatory parameter is not set',
  UTM_PID_BUSY: 'another live instance holds the pid file',
  UTM_PID_IO: 'the pid file cannot be written or read',
  UTM_SECRET_KEY: 'the secret key file is missing, unreadable or malformed',
  UTM_SECRET_DECRYPT: 'a stored secret cannot be decrypted with the key file',
  UTM_LIFECYCLE_TIMEOUT: 'a component did not start or stop in time',
  UTM_CLOCK_REFUSED: 'the test clock was used while test_clock is not enabled',
  UTM_METRICS_BIND: 'the metrics endpoint cannot listen on its configured address',
  UTM_MONEY_RANGE: 'an amount is outside what the money type holds exactly',
} as const;

export type CommonErrorCode = keyof typeof CommonErrorCodes;
