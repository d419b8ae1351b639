// Digest challenges (RFC 3261 §22.1, RFC 7616 §3.3, RFC 8760 §2): SER's
// www_challenge / proxy_challenge. One header value per algorithm offered, in the
// configured order (MD5 first by default, since many phones read only the first
// challenge), each with its own fresh nonce: nonce-counts are tracked per nonce, and a
// client may answer any of the challenges.

import type { AuthChallengeRequest, AuthChallengeResponse, QopOffer } from "@switchboard/contracts";
import { buildDigestChallenge, type DigestAlgorithm, type DigestQop } from "@switchboard/sip";
import type { NonceCodec } from "./nonce.js";

const QOP_OPTIONS = {
  // RFC 2069 compatibility: no qop parameter (the seed's www_challenge("", "0")).
  none: [],
  auth: ["auth"],
  "auth,auth-int": ["auth", "auth-int"],
} as const satisfies Record<QopOffer, readonly DigestQop[]>;

export interface ChallengerOptions {
  readonly nonces: NonceCodec;
  /** Offered in this order; at least one. */
  readonly algorithms: readonly DigestAlgorithm[];
}

export class Challenger {
  readonly #options: ChallengerOptions;

  constructor(options: ChallengerOptions) {
    if (options.algorithms.length === 0) throw new RangeError("at least one algorithm is needed");
    this.#options = options;
  }

  /** `request.count` challenges (default 1): the first in `headers`, the others in `more`. */
  challenge(request: AuthChallengeRequest): AuthChallengeResponse {
    const headers = this.#headers(request);
    const count = request.count ?? 1;
    if (count === 1) return { headers };
    return { headers, more: Array.from({ length: count - 1 }, () => this.#headers(request)) };
  }

  /** RFC 8760 §2: one challenge per algorithm, the preferred one first, each its own nonce. */
  #headers(request: AuthChallengeRequest): string[] {
    return this.#options.algorithms.map((algorithm) =>
      buildDigestChallenge({
        realm: request.realm,
        nonce: this.#options.nonces.issue(),
        algorithm,
        qop: QOP_OPTIONS[request.qop],
        stale: request.stale === true,
      }),
    );
  }
}
