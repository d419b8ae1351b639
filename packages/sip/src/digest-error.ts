// The one error the Digest header parsers throw. Its `reason` never contains text
// taken from the input (only fixed words and parameter names, which are tokens), so
// it is safe to use as a SIP reason phrase or in a log line.

export type DigestParseErrorCode =
  /** The header uses another scheme (Basic, Bearer, …). */
  | "not-digest"
  /** The header does not follow the auth-param grammar (RFC 3261 §25.1, RFC 7235 §2.1). */
  | "malformed"
  | "duplicate-parameter"
  | "missing-parameter"
  /** A parameter is present but its value is not allowed (e.g. nc not 8 hex digits). */
  | "invalid-parameter"
  | "unsupported-algorithm"
  | "unsupported-qop"
  /** RFC 7616 §3.4.4 username hashing, which this implementation does not offer. */
  | "unsupported-userhash";

export class DigestParseError extends Error {
  override readonly name = "DigestParseError";
  readonly code: DigestParseErrorCode;
  /** A short reason, safe to echo: "missing parameter nonce". */
  readonly reason: string;

  constructor(code: DigestParseErrorCode, reason: string, options?: ErrorOptions) {
    super(`invalid Digest header: ${reason}`, options);
    this.code = code;
    this.reason = reason;
  }
}
