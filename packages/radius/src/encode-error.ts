/**
 * What the encoder throws when asked to write something RADIUS cannot carry (an unknown attribute name, a value of the
 * wrong type or too long, a packet over 4096 bytes). Those are bugs or bad configuration on our side, never input
 * from a NAS, so they are exceptions; the decoder, which sees untrusted input, returns reasons instead.
 */
export class RadiusEncodeError extends Error {
  readonly code = 'UTM_RADIUS_ENCODE';

  constructor(message: string) {
    super(message);
    this.name = 'RadiusEncodeError';
  }
}
