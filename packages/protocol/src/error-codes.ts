/**
 * The catalogue of error codes raised by @utm5/protocol. Codec failures carry a machine-readable reason and offset
 * besides the code (ProtocolError); the code says which layer refused.
 */
export const ProtocolErrorCodes = {
  UTM_PROTOCOL: 'a frame or packet does not follow the wire format',
  UTM_STREAM_CALL: 'the Stream peer answered a call with a failure',
} as const;

export type ProtocolErrorCode = keyof typeof ProtocolErrorCodes;
