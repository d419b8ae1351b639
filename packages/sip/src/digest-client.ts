// The client side: answering a Digest challenge with an Authorization or
// Proxy-Authorization header value (RFC 3261 §22.2, §22.3; RFC 7616 §3.4).

import { randomBytes } from "node:crypto";
import type { DigestChallenge } from "./digest-challenge.js";
import { computeDigestResponse, computeHa1, type DigestBody } from "./digest-compute.js";
import { type DigestParamOut, formatDigestHeader } from "./digest-params.js";
import { type DigestQop, isSessionAlgorithm } from "./digest-types.js";

export interface DigestClientInput {
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The digest-uri: the Request-URI of the request being authorised (RFC 3261 §22.4). */
  readonly uri: string;
  /** The request body, hashed for qop=auth-int. Default: empty. */
  readonly body?: DigestBody;
  /** Default: 16 random bytes in hex. */
  readonly cnonce?: string;
  /** How many requests this client has sent with this nonce, this one included. Default 1. */
  readonly nc?: number;
  /** The qop to use; it must be offered. Default: "auth" when offered, else "auth-int", else none. */
  readonly qop?: DigestQop;
}

const MAX_NONCE_COUNT = 0xffffffff;

function chooseQop(
  offered: readonly DigestQop[],
  wanted: DigestQop | undefined,
): DigestQop | undefined {
  if (wanted !== undefined) {
    if (!offered.includes(wanted))
      throw new RangeError(`the challenge does not offer qop=${wanted}`);
    return wanted;
  }
  if (offered.includes("auth")) return "auth";
  return offered.includes("auth-int") ? "auth-int" : undefined;
}

// RFC 7616 §3.4: nc-value is 8LHEX, counting from 00000001.
function formatNonceCount(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > MAX_NONCE_COUNT) {
    throw new RangeError("nc must be an integer from 1 to 0xffffffff");
  }
  return nc.toString(16).padStart(8, "0");
}

/**
 * Builds the credentials answering `challenge`:
 * `Digest username="…", realm="…", nonce="…", uri="…", response="…", algorithm=…,
 * cnonce="…", opaque="…", qop=auth, nc=00000001`.
 * Without qop in the challenge, the answer is RFC 2069-style (no qop, nc or cnonce).
 * @throws RangeError for a qop not offered, a bad nc or a value with a control character.
 */
export function buildDigestAuthorization(
  challenge: DigestChallenge,
  input: DigestClientInput,
): string {
  const { algorithm, realm, nonce } = challenge;
  const qop = chooseQop(challenge.qop, input.qop);
  const needsCnonce = qop !== undefined || isSessionAlgorithm(algorithm);
  const cnonce = needsCnonce ? (input.cnonce ?? randomBytes(16).toString("hex")) : undefined;
  const nc = qop === undefined ? undefined : formatNonceCount(input.nc ?? 1);
  const response = computeDigestResponse({
    algorithm,
    ha1: computeHa1(algorithm, input.username, realm, input.password),
    nonce,
    method: input.method,
    uri: input.uri,
    qop,
    nc,
    cnonce,
    body: input.body,
  });

  const params: DigestParamOut[] = [
    ["username", input.username, "quoted"],
    ["realm", realm, "quoted"],
    ["nonce", nonce, "quoted"],
    ["uri", input.uri, "quoted"],
    ["response", response, "quoted"],
    ["algorithm", algorithm, "token"],
  ];
  if (cnonce !== undefined) params.push(["cnonce", cnonce, "quoted"]);
  // RFC 2617 §3.2.2: the client returns opaque unchanged.
  if (challenge.opaque !== undefined) params.push(["opaque", challenge.opaque, "quoted"]);
  // RFC 3261 §25.1: message-qop and nonce-count are written unquoted.
  if (qop !== undefined && nc !== undefined) {
    params.push(["qop", qop, "token"]);
    params.push(["nc", nc, "token"]);
  }
  return formatDigestHeader(params);
}
