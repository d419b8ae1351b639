// Digest challenges: the value of a WWW-Authenticate or Proxy-Authenticate header
// (RFC 3261 §22.1, §25.1 "challenge"; RFC 7616 §3.3; RFC 8760 §2), built by a
// server and read by a client.

import { DigestParseError } from "./digest-error.js";
import {
  type DigestParamOut,
  formatDigestHeader,
  otherParams,
  parseDigestParams,
  rejectUserhash,
  requireParam,
} from "./digest-params.js";
import {
  type DigestAlgorithm,
  type DigestQop,
  parseDigestAlgorithm,
  parseDigestQop,
} from "./digest-types.js";

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  /** MD5 when the parameter is absent (RFC 2617 §3.2.1). */
  readonly algorithm: DigestAlgorithm;
  /** The qop options offered, in the server's order; empty for an RFC 2069-style challenge. */
  readonly qop: readonly DigestQop[];
  readonly opaque: string | undefined;
  /** RFC 2617 §3.2.1: the nonce was stale but the credentials were right; retry without asking the user. */
  readonly stale: boolean;
  /** Parameters this module does not interpret (domain, charset, …), names in lower case. */
  readonly params: ReadonlyMap<string, string>;
}

export interface DigestChallengeOptions {
  readonly realm: string;
  readonly nonce: string;
  /** Default MD5. */
  readonly algorithm?: DigestAlgorithm;
  /** Default ["auth"]; [] writes no qop parameter (RFC 2069 compatibility). */
  readonly qop?: readonly DigestQop[];
  readonly opaque?: string | undefined;
  /** Default false. */
  readonly stale?: boolean;
}

const KNOWN_PARAMS = new Set(["realm", "nonce", "algorithm", "qop", "opaque", "stale", "userhash"]);

/**
 * Writes one challenge: `Digest realm="…", nonce="…", opaque="…", algorithm=MD5,
 * qop="auth,auth-int", stale=true`.
 * @throws RangeError when a value holds a control character.
 */
export function buildDigestChallenge(options: DigestChallengeOptions): string {
  const params: DigestParamOut[] = [
    ["realm", options.realm, "quoted"],
    ["nonce", options.nonce, "quoted"],
  ];
  if (options.opaque !== undefined) params.push(["opaque", options.opaque, "quoted"]);
  params.push(["algorithm", options.algorithm ?? "MD5", "token"]);
  const qop = options.qop ?? ["auth"];
  // RFC 2617 §3.2.1: qop-options is a quoted list of one or more tokens.
  if (qop.length > 0) params.push(["qop", qop.join(","), "quoted"]);
  // RFC 2617 §3.2.1 reads stale case-insensitively; the lower-case form is the common one.
  if (options.stale === true) params.push(["stale", "true", "token"]);
  return formatDigestHeader(params);
}

/**
 * Writes one challenge per algorithm, in the order given. RFC 8760 §2: a server
 * offering several algorithms sends one WWW-Authenticate (or Proxy-Authenticate)
 * header field per algorithm, most preferred first, and the client answers the
 * first one it supports.
 * @throws RangeError when `algorithms` is empty or a value holds a control character.
 */
export function buildDigestChallenges(
  options: Omit<DigestChallengeOptions, "algorithm">,
  algorithms: readonly DigestAlgorithm[],
): string[] {
  if (algorithms.length === 0) throw new RangeError("at least one digest algorithm is needed");
  return algorithms.map((algorithm) => buildDigestChallenge({ ...options, algorithm }));
}

function parseQopOptions(value: string | undefined): DigestQop[] {
  if (value === undefined) return [];
  const offered: DigestQop[] = [];
  for (const option of value.split(",")) {
    // RFC 2617 §3.2.1: unrecognized qop options MUST be ignored.
    const qop = parseDigestQop(option.trim());
    if (qop !== undefined && !offered.includes(qop)) offered.push(qop);
  }
  if (offered.length === 0) {
    throw new DigestParseError("unsupported-qop", "no supported qop option");
  }
  return offered;
}

/**
 * Parses a WWW-Authenticate or Proxy-Authenticate header value of the Digest scheme.
 * realm and nonce are required.
 * @throws DigestParseError (see its `code`); a client skips such a challenge and
 *   tries the next header field (RFC 2617 §3.2.1 on unknown algorithms).
 */
export function parseDigestChallenge(headerValue: string): DigestChallenge {
  const params = parseDigestParams(headerValue);
  rejectUserhash(params);
  return {
    realm: requireParam(params, "realm"),
    nonce: requireParam(params, "nonce"),
    algorithm: parseDigestAlgorithm(params.get("algorithm")),
    qop: parseQopOptions(params.get("qop")),
    opaque: params.get("opaque"),
    // RFC 2617 §3.2.1: stale is TRUE case-insensitively; anything else is false.
    stale: params.get("stale")?.toLowerCase() === "true",
    params: otherParams(params, KNOWN_PARAMS),
  };
}
