/**
 * The catalogue of error codes raised by @utm5/radius. Only the encoder throws (what it is asked to write is ours);
 * decode failures are returned as reasons with an offset, never thrown.
 */
export const RadiusErrorCodes = {
  UTM_RADIUS_ENCODE: 'an attribute or packet cannot be written as RADIUS (unknown name, wrong type, over a limit)',
} as const;

export type RadiusErrorCode = keyof typeof RadiusErrorCodes;
