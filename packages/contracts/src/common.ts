// Schemas shared by the auth and location contracts, and the common error reply.
//
// Objects are parsed in zod's default "strip" mode: unknown fields are dropped,
// not rejected, so adding an optional field to a v1 message is not a breaking
// change (an older peer ignores it).

import { z } from "zod";

function hasNoControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/**
 * A non-empty single-line string of at most `max` characters. Control characters (CR, LF,
 * NUL, …) are refused so that a value can never split a SIP header or a log line.
 */
export function lineText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine(hasNoControlCharacters, { message: "must not contain control characters" });
}

/** The user part of an address-of-record (the SER `subscriber.username` column: 64 chars). */
export const UsernameSchema = lineText(64);

/**
 * The domain of an address-of-record. Domains compare case-insensitively (RFC 3261 §19.1.4);
 * senders should send them in lower case. At most 190 characters: the widest utf8mb4 column
 * that can be part of the (username, domain) unique keys in MySQL.
 */
export const DomainSchema = lineText(190);

/** An address-of-record: `username@domain` of a subscriber (RFC 3261 §10.2.1). */
export const AorSchema = z.object({
  username: UsernameSchema,
  domain: DomainSchema,
});
export type Aor = z.infer<typeof AorSchema>;

/**
 * Codes of the common error reply.
 * - `bad-request`: the request failed validation (malformed JSON or schema mismatch);
 *   retrying the same request will fail again.
 * - `unavailable`: a dependency of the responder (MySQL) is down; retrying later may work.
 * - `internal`: the responder failed unexpectedly.
 */
export const ErrorCodeSchema = z.enum(["bad-request", "unavailable", "internal"]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * The reply a responder sends instead of the subject's response when it cannot answer.
 * Every subject may answer with it, so no response schema has a top-level `error` field.
 */
export const ErrorReplySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    /** Human-readable detail; never contains secrets or user data beyond the request's own. */
    message: z.string(),
  }),
});
export type ErrorReply = z.infer<typeof ErrorReplySchema>;
