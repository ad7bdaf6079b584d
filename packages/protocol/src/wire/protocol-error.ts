/**
 * A decode failure: a machine-readable reason, the byte offset where it was found, and a message for the log. Codecs
 * never log; the listener that owns the peer decides what to do with this.
 */
export type ProtocolErrorReason =
  | 'truncated'
  | 'bad_version'
  | 'bad_length'
  | 'too_large'
  | 'bad_attribute'
  | 'bad_value'
  | 'unexpected_packet'
  | 'bad_frame';

export class ProtocolError extends Error {
  readonly code = 'UTM_PROTOCOL';

  constructor(
    readonly reason: ProtocolErrorReason,
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
