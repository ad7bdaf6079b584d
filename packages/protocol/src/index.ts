export * from './urfa/function-class';
export * from './urfa/constants';
export * from './urfa/doc-types';
export * from './urfa/packet';
export * from './urfa/values';
export { SessionStore, type SessionRecord } from './urfa/session-store';
export { UrfaServerConnection } from './urfa/server-connection';
export type {
  UrfaIdentity,
  ProtocolLog,
  ProtocolCounters,
  LoginDecision,
  LoginCandidate,
  UrfaCall,
  UrfaFunction,
  UrfaServerOptions,
} from './urfa/server-types';
export { UrfaClient, UrfaClientError, type UrfaClientOptions, type UrfaClientErrorKind } from './urfa/client';
export { ProtocolError, type ProtocolErrorReason } from './wire/protocol-error';
export { Reader } from './wire/reader';
export { Writer } from './wire/writer';
export * from './api/layout';
export {
  VarStore,
  VariableError,
  evaluate,
  evaluateInt,
  evaluateIndex,
  conditionHolds,
  MAX_TIME,
  type IndexPath,
} from './api/variables';
export {
  encodeLayout,
  decodeLayout,
  ValueQueue,
  NeedMoreData,
  LayoutErrorTag,
  type LayoutContext,
} from './api/layout-codec';
export { renderApiXml } from './api/api-xml';
export { CallArgs, CallArgsError, resultToVars, type CallResult, type OutputValue } from './api/call-args';
export { encodeFrame, FrameDecoder, STREAM_MAX_FRAME, STREAM_VERSION } from './stream/frame';
export * from './stream/messages';
export { StreamServerConnection, type StreamServerOptions, type RecordsOutcome } from './stream/server-connection';
export { StreamClient, StreamRejectedError, type StreamClientOptions, type SendOptions } from './stream/client';
export { StreamCallError, type CallHandler, type StreamCallFailure } from './stream/calls';
export { chapResponse, chapMatches } from './wire/chap';
export { radiusChapResponse, radiusChapMatches } from './wire/radius-chap';
export * from './stream/contracts/radius-topics';
export * from './stream/contracts/shaping-topic';
export * from './stream/contracts/shaping-variables';
export * from './stream/contracts/radius-calls';
export * from './stream/contracts/telephony-calls';
export * from './stream/contracts/traffic-topics';
export * from './stream/contracts/rfw-commands';
export * from './stream/contracts/dhcp-topics';
export * from './stream/contracts/command-words';
export { ProtocolErrorCodes, type ProtocolErrorCode } from './error-codes';
