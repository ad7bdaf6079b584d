/**
 * Authentication crypto for utm5_radius: pure functions that check what a NAS relayed against the stored clear-text
 * password (PAP, CHAP, MS-CHAP v1/v2 with MPPE keys, EAP-MD5, HTTP Digest). No state, no I/O: the server keeps
 * pending challenges and decides. EAP-TTLS is not here: it needs a TLS server inside EAP (RFC 5281), which Node's
 * tls module cannot run over a message-by-message transport without a full TLS state machine of our own.
 */
export { papMatches } from './pap';
export { chapChallengeOf, chapResponse, chapMatches } from './chap';
export {
  ntPasswordHash,
  ntPasswordHashHash,
  challengeResponse,
  challengeHash,
  generateNtResponse,
  authenticatorResponse,
  msChapUserName,
  msChapV1Matches,
  msChapV2Check,
  msChapError,
  type MsChapV1Input,
  type MsChapV2Input,
  type MsChapV2Result,
} from './ms-chap';
export { mppeMasterKey, mppeAsymmetricStartKey, mppeKeysFromMsChapV2, mppeAttributes, type MppeKeys } from './mppe';
export {
  EAP_CODES,
  EAP_TYPES,
  eapMessageOf,
  parseEap,
  eapIdentityRequest,
  eapMd5ChallengeRequest,
  eapSuccess,
  eapFailure,
  eapIdentityOf,
  eapMd5ResponseValue,
  newEapMd5Challenge,
  eapMd5Matches,
  type EapPacket,
  type EapParseResult,
} from './eap';
export { newState, stateKey } from './state';
export { digestResponse, digestMatches, digestRequestOf, type DigestChallenge, type DigestRequest } from './digest';
export { md4 } from './md4';
export { desEncryptBlock, expandDesKey } from './des';
