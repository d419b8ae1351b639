// Contracts of the auth service: digest challenges and credential verification
// (RFC 3261 §22, RFC 7616, RFC 8760), and the subscriber-changed event.

import { z } from "zod";
import { AorSchema, DomainSchema, lineText, UsernameSchema } from "./common.js";

/**
 * A digest realm (RFC 3261 §22.1). It is written inside a quoted-string, so quotes and
 * backslashes are refused rather than escaped.
 */
export const RealmSchema = lineText(255).refine((realm) => !/["\\]/.test(realm), {
  message: "must not contain quotes or backslashes",
});

/**
 * The qop values to offer in a challenge (RFC 7616 §3.3):
 * - `none`: no qop parameter (RFC 2069 compatibility, for phones that fail with qop);
 * - `auth`: `qop="auth"`;
 * - `auth,auth-int`: `qop="auth,auth-int"`, integrity protection of the body allowed.
 */
export const QopOfferSchema = z.enum(["none", "auth", "auth,auth-int"]);
export type QopOffer = z.infer<typeof QopOfferSchema>;

/** Request of `auth.v1.challenge`. */
/** The most challenges one `auth.v1.challenge` request may ask for. */
export const MAX_CHALLENGES_PER_REQUEST = 64;

export const AuthChallengeRequestSchema = z.object({
  realm: RealmSchema,
  qop: QopOfferSchema,
  /** RFC 7616 §3.3: set when the previous credentials carried a nonce that has expired. */
  stale: z.boolean().optional(),
  /**
   * True for a proxy challenge (407, Proxy-Authenticate), false for a registrar/UAS challenge
   * (401, WWW-Authenticate). The caller writes the header name; the values are the same shape.
   */
  proxy: z.boolean(),
  /**
   * How many challenges to issue, each with nonces of its own (default 1): a caller that
   * challenges often keeps a few in hand rather than asking once per challenge.
   */
  count: z.number().int().min(1).max(MAX_CHALLENGES_PER_REQUEST).optional(),
});
export type AuthChallengeRequest = z.infer<typeof AuthChallengeRequestSchema>;

/** Response of `auth.v1.challenge`. */
export const AuthChallengeResponseSchema = z.object({
  /**
   * One header value per algorithm offered (RFC 8760: one challenge per algorithm): MD5 first,
   * then SHA-256 when enabled, because many deployed phones read only the first challenge and
   * know only MD5. Each value is a complete `Digest realm="…", nonce="…", …` string to put
   * after the header name, in this order.
   */
  headers: z.array(z.string().min(1)).min(1),
  /** With `count` > 1: the other challenges, each like `headers`. */
  more: z.array(z.array(z.string().min(1)).min(1)).optional(),
});
export type AuthChallengeResponse = z.infer<typeof AuthChallengeResponseSchema>;

// RFC 3261 §25.1: Method = token; token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
const METHOD_PATTERN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Request of `auth.v1.verify`. */
export const AuthVerifyRequestSchema = z.object({
  /** The raw value of the Authorization or Proxy-Authorization header, after the header name. */
  authorization: z.string().min(1).max(8192),
  /** The request's method, used in A2 (RFC 7616 §3.4.3). */
  method: z.string().min(1).max(32).regex(METHOD_PATTERN, "must be a SIP method token"),
  /** The realm this proxy/registrar challenges for; credentials for another realm fail. */
  realm: RealmSchema,
  /**
   * The Request-URI of the request as it arrived. The `uri` parameter of the credentials must
   * designate the same resource (RFC 7616 §3.4.6), else the reply is `uri-mismatch`.
   */
  requestUri: z.string().min(1).max(2048),
  /**
   * The message body, base64-encoded; omit it when the body is empty. Needed only for
   * qop=auth-int, where A2 includes H(entity-body) (RFC 7616 §3.4.3): the auth service hashes
   * it with the algorithm the credentials name, which the caller need not know. Senders may
   * omit it when they did not offer auth-int.
   */
  body: z.string().max(1_000_000).regex(BASE64_PATTERN, "must be base64").optional(),
});
export type AuthVerifyRequest = z.infer<typeof AuthVerifyRequestSchema>;

/**
 * Why credentials were refused. The caller must answer `unknown-user` and `bad-password` the
 * same way on the wire (a new challenge), so that nobody can tell which users exist.
 * - `no-credentials`: no Digest credentials for this realm (challenge);
 * - `malformed`: the header does not parse as Digest credentials (400);
 * - `unknown-user` / `bad-password`: wrong username or response (challenge again);
 * - `stale-nonce`: the nonce expired but the response was right (challenge with stale=true);
 * - `bad-nonce`: the nonce was not issued by any auth instance of this deployment;
 * - `nonce-reused`: the nonce count did not increase, a replay (RFC 7616 §3.4);
 * - `realm-mismatch`: credentials for another realm;
 * - `uri-mismatch`: the `uri` parameter does not match the Request-URI;
 * - `unsupported-algorithm`: an algorithm this deployment does not offer.
 */
export const AuthFailureReasonSchema = z.enum([
  "no-credentials",
  "malformed",
  "unknown-user",
  "bad-password",
  "stale-nonce",
  "bad-nonce",
  "nonce-reused",
  "realm-mismatch",
  "uri-mismatch",
  "unsupported-algorithm",
]);
export type AuthFailureReason = z.infer<typeof AuthFailureReasonSchema>;

/** Response of `auth.v1.verify`: the authenticated identity, or why there is none. */
export const AuthVerifyResponseSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    /** The authenticated subscriber: the credentials' username and the realm's domain. */
    username: UsernameSchema,
    domain: DomainSchema,
  }),
  z.object({
    ok: z.literal(false),
    reason: AuthFailureReasonSchema,
  }),
]);
export type AuthVerifyResponse = z.infer<typeof AuthVerifyResponseSchema>;

/**
 * Event on `auth.v1.events.subscriber-changed`, published after a subscriber is created,
 * changed (password, HA1) or deleted. Every auth instance drops its cached HA1 for the AOR.
 * Published without a queue group: all instances receive it.
 */
export const SubscriberChangedEventSchema = AorSchema;
export type SubscriberChangedEvent = z.infer<typeof SubscriberChangedEventSchema>;
