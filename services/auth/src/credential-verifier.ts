// Verification of Digest credentials (RFC 3261 §22.4, RFC 7616 §3.4, RFC 8760):
// SER's www_authorize / proxy_authorize. Every outcome is named; the caller maps
// them to SIP answers.

import { randomBytes } from "node:crypto";
import type { AuthFailureReason, AuthVerifyResponse } from "@switchboard/contracts";
import {
  type DigestAlgorithm,
  type DigestCredentials,
  DigestParseError,
  parseDigestCredentials,
  verifyDigestResponse,
} from "@switchboard/sip";
import { digestUriMatches } from "./digest-uri.js";
import type { Ha1Set } from "./ha1-lookup.js";
import type { NonceCodec } from "./nonce.js";
import type { NonceCountTracker } from "./nonce-count-tracker.js";

export interface VerifyRequest {
  /** The Authorization / Proxy-Authorization header value. */
  readonly authorization: string;
  readonly method: string;
  /** The realm that was challenged for; it is the subscriber's domain. */
  readonly realm: string;
  readonly requestUri: string;
  /** The message body, for qop=auth-int; absent means empty (RFC 3261 §22.4). */
  readonly body?: Uint8Array | undefined;
}

/** Where HA1s come from; null for an unknown subscriber. */
export interface Ha1Source {
  find(username: string, domain: string): Promise<Ha1Set | null>;
}

export interface CredentialVerifierOptions {
  readonly nonces: NonceCodec;
  readonly nonceCounts: NonceCountTracker;
  readonly ha1s: Ha1Source;
  /** The algorithms this deployment offers; credentials with another one are refused. */
  readonly algorithms: readonly DigestAlgorithm[];
}

function failure(reason: AuthFailureReason): AuthVerifyResponse {
  return { ok: false, reason };
}

function parseFailure(error: DigestParseError): AuthFailureReason {
  if (error.code === "not-digest") return "no-credentials";
  if (error.code === "unsupported-algorithm") return "unsupported-algorithm";
  return "malformed";
}

/** The HA1 of the algorithm's hash; the -sess variants derive theirs from it (RFC 7616 §3.4.2). */
function ha1For(ha1s: Ha1Set, algorithm: DigestAlgorithm): string {
  return algorithm === "SHA-256" || algorithm === "SHA-256-sess" ? ha1s.sha256 : ha1s.md5;
}

export class CredentialVerifier {
  readonly #options: CredentialVerifierOptions;
  /**
   * Checked against when the user is unknown or has no HA1 for the algorithm, so that
   * the answer takes as long as for a wrong password (no user enumeration by timing).
   */
  readonly #decoyHa1s: Ha1Set = {
    md5: randomBytes(16).toString("hex"),
    sha256: randomBytes(32).toString("hex"),
  };

  constructor(options: CredentialVerifierOptions) {
    this.#options = options;
  }

  /**
   * @throws whatever the HA1 source throws when the subscriber store is unreachable;
   *   every other problem is an outcome.
   */
  async verify(request: VerifyRequest): Promise<AuthVerifyResponse> {
    let credentials: DigestCredentials;
    try {
      credentials = parseDigestCredentials(request.authorization);
    } catch (error) {
      if (error instanceof DigestParseError) return failure(parseFailure(error));
      throw error;
    }
    // RFC 3261 §22.4: the realm of the credentials must be the one challenged for.
    if (credentials.realm !== request.realm) return failure("realm-mismatch");
    // RFC 7616 §3.4.6: the digest-uri must designate the Request-URI.
    if (!digestUriMatches(credentials.uri, request.requestUri)) return failure("uri-mismatch");
    if (!this.#options.algorithms.includes(credentials.algorithm)) {
      return failure("unsupported-algorithm");
    }
    const { nonces, nonceCounts } = this.#options;
    // A nonce whose count is tracked passed the HMAC check when its count was recorded.
    const nonce = nonces.check(credentials.nonce, nonceCounts.tracks(credentials.nonce));
    if (nonce.status === "bad-nonce") return failure("bad-nonce");

    const domain = request.realm.toLowerCase();
    const ha1s = await this.#options.ha1s.find(credentials.username, domain);
    const storedHa1 = ha1s === null ? "" : ha1For(ha1s, credentials.algorithm);
    const matches = verifyDigestResponse(credentials, {
      method: request.method,
      ha1: storedHa1 === "" ? ha1For(this.#decoyHa1s, credentials.algorithm) : storedHa1,
      body: request.body,
    });
    if (ha1s === null) return failure("unknown-user");
    if (!matches || storedHa1 === "") return failure("bad-password");

    // RFC 7616 §3.3: stale only when the response was right, so the client retries
    // with the new nonce without asking its user for the password again.
    if (nonce.status === "stale-nonce") return failure("stale-nonce");
    if (credentials.nonceCount !== undefined) {
      const verdict = this.#options.nonceCounts.record(
        { nonce: credentials.nonce, issuedAt: nonce.issuedAt, expiresAt: nonce.expiresAt },
        credentials.nonceCount,
      );
      if (verdict !== "fresh") return failure(verdict);
    }
    return { ok: true, username: credentials.username, domain };
  }
}
