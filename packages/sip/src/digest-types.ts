// The enumerated values of the Digest scheme this implementation supports: the
// algorithm (RFC 7616 §3.3, RFC 8760 §2) and the quality of protection (RFC 2617 §3.2.1).

import { DigestParseError } from "./digest-error.js";

export type DigestAlgorithm = "MD5" | "MD5-sess" | "SHA-256" | "SHA-256-sess";

export type DigestQop = "auth" | "auth-int";

const ALGORITHM_BY_LOWER_NAME: ReadonlyMap<string, DigestAlgorithm> = new Map([
  ["md5", "MD5"],
  ["md5-sess", "MD5-sess"],
  ["sha-256", "SHA-256"],
  ["sha-256-sess", "SHA-256-sess"],
]);

/**
 * Reads an algorithm parameter, case-insensitively (RFC 7616 §3.3).
 * RFC 2617 §3.2.1: when the parameter is absent, the algorithm is MD5.
 * @throws DigestParseError with code "unsupported-algorithm" for any other value.
 */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm {
  if (value === undefined) return "MD5";
  const algorithm = ALGORITHM_BY_LOWER_NAME.get(value.toLowerCase());
  if (algorithm === undefined) {
    throw new DigestParseError("unsupported-algorithm", "unsupported algorithm");
  }
  return algorithm;
}

/** Reads one qop value case-insensitively; undefined when it is neither "auth" nor "auth-int". */
export function parseDigestQop(value: string): DigestQop | undefined {
  const lower = value.toLowerCase();
  return lower === "auth" || lower === "auth-int" ? lower : undefined;
}

/** RFC 7616 §3.4.2: the "-sess" variants mix the nonce and cnonce into HA1. */
export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm === "MD5-sess" || algorithm === "SHA-256-sess";
}
