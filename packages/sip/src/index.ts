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
export type * from "./message.js";
export * from "./transport-address.js";
export * from "./transport-udp.js";
