// The Digest hash maths (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §22.4) and the
// server-side check of a response against a stored HA1. All hashes are lower-case
// hex; strings are hashed as UTF-8.

import { hash, timingSafeEqual } from "node:crypto";
import type { DigestCredentials } from "./digest-credentials.js";
import { type DigestAlgorithm, type DigestQop, isSessionAlgorithm } from "./digest-types.js";

/** A request body for qop=auth-int: bytes as sent, or text hashed as UTF-8. */
export type DigestBody = string | Uint8Array;

const HASH_BY_ALGORITHM = {
  MD5: "md5",
  "MD5-sess": "md5",
  "SHA-256": "sha256",
  "SHA-256-sess": "sha256",
} as const satisfies Record<DigestAlgorithm, string>;

/** Length of a hex digest: 32 for MD5, 64 for SHA-256. */
const HEX_LENGTH = { md5: 32, sha256: 64 } as const;

function hashHex(algorithm: DigestAlgorithm, data: DigestBody): string {
  return hash(HASH_BY_ALGORITHM[algorithm], data, "hex");
}

/** The length of the hex digests `algorithm` produces (HA1, HA2, response). */
export function digestHexLength(algorithm: DigestAlgorithm): number {
  return HEX_LENGTH[HASH_BY_ALGORITHM[algorithm]];
}

/**
 * HA1 = H(username ":" realm ":" password), the value a server stores instead of the
 * password (RFC 2617 §3.2.2.2, RFC 7616 §3.4.2). For the -sess algorithms this is the
 * stored part too: the session key is derived from it per request.
 */
export function computeHa1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return hashHex(algorithm, `${username}:${realm}:${password}`);
}

/**
 * HA2 (RFC 7616 §3.4.3, RFC 2617 §3.2.2.3): H(method ":" uri), or for qop=auth-int
 * H(method ":" uri ":" H(body)). RFC 3261 §22.4: with no body, H("") is used.
 */
export function computeHa2(
  algorithm: DigestAlgorithm,
  method: string,
  uri: string,
  qop: DigestQop | undefined,
  body: DigestBody = "",
): string {
  if (qop === "auth-int") return hashHex(algorithm, `${method}:${uri}:${hashHex(algorithm, body)}`);
  return hashHex(algorithm, `${method}:${uri}`);
}

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** The stored H(username:realm:password), lower-case hex, of the algorithm's hash. */
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  /** The digest-uri exactly as the client wrote it in its credentials. */
  readonly uri: string;
  readonly qop?: DigestQop | undefined;
  /** Eight hex digits exactly as written in the credentials; required with qop. */
  readonly nc?: string | undefined;
  /** Required with qop and with the -sess algorithms. */
  readonly cnonce?: string | undefined;
  /** The request body; used only with qop=auth-int. */
  readonly body?: DigestBody | undefined;
}

/**
 * The request-digest (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1):
 *   with qop:    H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
 *   without qop: H(HA1 ":" nonce ":" HA2)   (RFC 2069 compatibility)
 * @throws RangeError when nc or cnonce is missing where the formula needs it
 *   (credentials from parseDigestCredentials always have them).
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm, nonce, qop, nc, cnonce } = input;
  let ha1 = input.ha1;
  if (isSessionAlgorithm(algorithm)) {
    if (cnonce === undefined) throw new RangeError(`${algorithm} needs a cnonce`);
    // RFC 7616 §3.4.2: HA1 = H(H(username:realm:password) ":" nonce ":" cnonce).
    ha1 = hashHex(algorithm, `${ha1}:${nonce}:${cnonce}`);
  }
  const ha2 = computeHa2(algorithm, input.method, input.uri, qop, input.body);
  if (qop === undefined) return hashHex(algorithm, `${ha1}:${nonce}:${ha2}`);
  if (nc === undefined || cnonce === undefined) {
    throw new RangeError(`qop=${qop} needs nc and cnonce`);
  }
  return hashHex(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

export interface DigestVerifyInput {
  /** The method of the request that carried the credentials. */
  readonly method: string;
  /** The stored HA1 for credentials.username and credentials.realm, of the credentials' hash. */
  readonly ha1: string;
  /** The request body; needed when the credentials use qop=auth-int. */
  readonly body?: DigestBody | undefined;
}

/**
 * Checks the response in `credentials` against the one computed from the stored HA1,
 * in constant time. Returns false (never throws) for a response of the wrong length
 * or an HA1 of another algorithm. Checking the nonce, realm and uri against the
 * request is the caller's job.
 */
export function verifyDigestResponse(
  credentials: DigestCredentials,
  input: DigestVerifyInput,
): boolean {
  const hexLength = digestHexLength(credentials.algorithm);
  // RFC 2617 §3.2.2: request-digest is lower-case hex; accept upper case from lenient UAs.
  const given = Buffer.from(credentials.response.toLowerCase(), "utf8");
  if (given.length !== hexLength || input.ha1.length !== hexLength) return false;
  const expected = computeDigestResponse({
    algorithm: credentials.algorithm,
    ha1: input.ha1.toLowerCase(),
    nonce: credentials.nonce,
    method: input.method,
    uri: credentials.uri,
    qop: credentials.qop,
    nc: credentials.nc,
    cnonce: credentials.cnonce,
    body: input.body,
  });
  return timingSafeEqual(given, Buffer.from(expected, "utf8"));
}
