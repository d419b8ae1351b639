export { type Clock, ManualClock, systemClock, type TimerHandle } from "./clock.js";
export {
  buildDigestChallenge,
  buildDigestChallenges,
  type DigestChallenge,
  type DigestChallengeOptions,
  parseDigestChallenge,
} from "./digest-challenge.js";
export { buildDigestAuthorization, type DigestClientInput } from "./digest-client.js";
export {
  computeDigestResponse,
  computeHa1,
  computeHa2,
  type DigestBody,
  type DigestResponseInput,
  type DigestVerifyInput,
  digestHexLength,
  verifyDigestResponse,
} from "./digest-compute.js";
export { type DigestCredentials, parseDigestCredentials } from "./digest-credentials.js";
export { DigestParseError, type DigestParseErrorCode } from "./digest-error.js";
export type { DigestAlgorithm, DigestQop } from "./digest-types.js";
export { type KeepAlive, StreamFramer, type StreamFramerOptions } from "./framer-stream.js";
export type * from "./message.js";
export {
  createAck,
  createCancel,
  createRequest,
  createResponse,
  newBranch,
  newCallId,
  newTag,
  type RequestSpec,
  type ResponseOptions,
  statelessTag,
} from "./message-build.js";
export { editMessage, MessageEditor } from "./message-edit.js";
export { getContacts, getExpires, getPath, getRecordRoutes, getRoutes } from "./message-headers.js";
export { parseContactList } from "./parse-contact.js";
export { type SipParseContext, SipParseError, type SipParseErrorOptions } from "./parse-error.js";
export { responseForParseError } from "./parse-error-response.js";
export {
  DEFAULT_MAX_HEADERS,
  DEFAULT_MAX_MESSAGE_SIZE,
  type ParseOptions,
  parseMessage,
} from "./parse-message.js";
export { formatNameAddr, parseNameAddr, parseNameAddrList } from "./parse-name-addr.js";
export {
  MAX_DELTA_SECONDS,
  parseCallId,
  parseCSeq,
  parseDeltaSeconds,
  parseMaxForwards,
} from "./parse-scalar.js";
export { formatUri, parseUri } from "./parse-uri.js";
export { parseVia, parseViaList } from "./parse-via.js";
export { reasonPhrase } from "./reason-phrases.js";
export { utf8Octets } from "./text-chars.js";
export { type InviteClientState, InviteClientTransaction } from "./transaction-client-invite.js";
export {
  type NonInviteClientState,
  NonInviteClientTransaction,
} from "./transaction-client-non-invite.js";
export {
  clientTransactionKey,
  hasMagicCookie,
  MAGIC_COOKIE,
  serverTransactionKey,
} from "./transaction-key.js";
export {
  type ClientTransaction,
  type RequestDisposition,
  type ResponseDisposition,
  TransactionLayer,
  type TransactionLayerOptions,
  type TransactionLayerStats,
} from "./transaction-layer.js";
export {
  IllegalTransitionError,
  type TransactionKind,
  TransactionTransportError,
  type TransportSender,
} from "./transaction-machine.js";
export {
  type AckDisposition,
  type InviteServerState,
  InviteServerTransaction,
} from "./transaction-server-invite.js";
export {
  type NonInviteServerState,
  NonInviteServerTransaction,
} from "./transaction-server-non-invite.js";
export {
  DEFAULT_TIMER_SETTINGS,
  nonInviteProvisionalDelay,
  type TimerSettings,
  type TransactionTimers,
  transactionTimers,
} from "./transaction-timers.js";
export type {
  ClientTransactionHandlers,
  ServerTransaction,
  ServerTransactionReports,
  TransactionUser,
} from "./transaction-user.js";
export * from "./transport-address.js";
export * from "./transport-udp.js";
export { createVia, formatVia, type ViaSpec } from "./via-value.js";
