// Digest credentials: the value of an Authorization or Proxy-Authorization header
// (RFC 3261 §22.2-§22.4, §25.1 "credentials"; RFC 7616 §3.4).

import { DigestParseError } from "./digest-error.js";
import { otherParams, parseDigestParams, rejectUserhash, requireParam } from "./digest-params.js";
import {
  type DigestAlgorithm,
  type DigestQop,
  isSessionAlgorithm,
  parseDigestAlgorithm,
  parseDigestQop,
} from "./digest-types.js";

export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  /** The digest-uri exactly as written; it enters the hash as is. */
  readonly uri: string;
  /** The request-digest as sent (hex). */
  readonly response: string;
  /** MD5 when the parameter is absent (RFC 2617 §3.2.1). */
  readonly algorithm: DigestAlgorithm;
  /** Present with qop and with the -sess algorithms. */
  readonly cnonce: string | undefined;
  readonly opaque: string | undefined;
  /** Undefined: an RFC 2069-style response without qop. */
  readonly qop: DigestQop | undefined;
  /** The nonce-count as written (8 hex digits); it enters the hash as is. Present with qop. */
  readonly nc: string | undefined;
  /** The nonce-count as a number, for replay checks. */
  readonly nonceCount: number | undefined;
  /** Parameters this module does not interpret, names in lower case. */
  readonly params: ReadonlyMap<string, string>;
}

const KNOWN_PARAMS = new Set([
  "username",
  "realm",
  "nonce",
  "uri",
  "response",
  "algorithm",
  "cnonce",
  "opaque",
  "qop",
  "nc",
  "userhash",
]);

// RFC 7616 §3.4: nc-value = 8LHEX. Upper-case digits are tolerated; the value is hashed as sent.
const NONCE_COUNT = /^[0-9a-fA-F]{8}$/;

function parseQop(value: string | undefined): DigestQop | undefined {
  if (value === undefined) return undefined;
  const qop = parseDigestQop(value);
  if (qop === undefined) throw new DigestParseError("unsupported-qop", "unsupported qop");
  return qop;
}

/**
 * Parses an Authorization or Proxy-Authorization header value of the Digest scheme.
 * username, realm, nonce, uri and response are required; cnonce and nc as well
 * when qop is present (RFC 7616 §3.4), cnonce when the algorithm is a -sess one.
 * @throws DigestParseError (see its `code`) for anything else.
 */
export function parseDigestCredentials(headerValue: string): DigestCredentials {
  const params = parseDigestParams(headerValue);
  rejectUserhash(params);
  const username = requireParam(params, "username");
  const realm = requireParam(params, "realm");
  const nonce = requireParam(params, "nonce");
  const uri = requireParam(params, "uri");
  const response = requireParam(params, "response");
  const algorithm = parseDigestAlgorithm(params.get("algorithm"));
  const qop = parseQop(params.get("qop"));

  let cnonce = params.get("cnonce");
  let nc = params.get("nc");
  if (qop !== undefined) {
    cnonce = requireParam(params, "cnonce");
    nc = requireParam(params, "nc");
  } else if (isSessionAlgorithm(algorithm)) {
    cnonce = requireParam(params, "cnonce");
  }
  if (nc !== undefined && !NONCE_COUNT.test(nc)) {
    throw new DigestParseError("invalid-parameter", "nc is not 8 hex digits");
  }

  return {
    username,
    realm,
    nonce,
    uri,
    response,
    algorithm,
    cnonce,
    opaque: params.get("opaque"),
    qop,
    nc,
    nonceCount: nc === undefined ? undefined : Number.parseInt(nc, 16),
    params: otherParams(params, KNOWN_PARAMS),
  };
}
