// Every answer the edge proxy makes up itself: one internal outcome per situation, and
// one exhaustive table from outcome to status code and reason phrase (the way
// Kamailio's registrar maps its error codes in reply.c).

/** Why this proxy answers a request itself. */
export type ReplyOutcome =
  | "trying"
  | "registered"
  | "options"
  | "cancelled"
  | "bad-request"
  | "malformed-credentials"
  | "invalid-register"
  | "unauthorized"
  | "proxy-authentication-required"
  | "to-mismatch"
  | "from-mismatch"
  | "relaying-denied"
  | "bad-route"
  | "too-many-contacts"
  | "user-not-found"
  | "not-here"
  | "branch-timeout"
  | "unsupported-uri-scheme"
  | "interval-too-brief"
  | "no-such-transaction"
  | "loop-detected"
  | "too-many-hops"
  | "request-terminated"
  | "message-too-large"
  | "internal-error"
  | "out-of-order"
  | "upstream-unavailable"
  | "shutting-down"
  | "branch-unreachable"
  | "branch-unresolvable";

export interface ReplySpec {
  readonly status: number;
  readonly reason: string;
}

export const REPLIES = {
  // RFC 3261 §16.6 step 11 / seed note ⓬: stops retransmissions while the request is served.
  trying: { status: 100, reason: "Trying" },
  // RFC 3261 §10.3 step 8.
  registered: { status: 200, reason: "OK" },
  // RFC 3261 §11.2: OPTIONS to the proxy itself.
  options: { status: 200, reason: "OK" },
  // RFC 3261 §9.2 / §16.10: the CANCEL itself is answered 200.
  cancelled: { status: 200, reason: "OK" },
  // RFC 3261 §8.2 / §16.3 step 1: a request that cannot be processed as sent.
  "bad-request": { status: 400, reason: "Bad Request" },
  "malformed-credentials": { status: 400, reason: "Malformed Credentials" },
  // location answered `invalid`: its message becomes the reason phrase.
  "invalid-register": { status: 400, reason: "Bad Request" },
  // seed ⓮ www_challenge.
  unauthorized: { status: 401, reason: "Unauthorized" },
  // seed 22 proxy_challenge; RFC 3261 §22.3 (the seed's 401 is wrong for a proxy).
  "proxy-authentication-required": { status: 407, reason: "Proxy Authentication Required" },
  // seed 16-17 check_to; 403 rather than the seed's 401: new credentials would not help.
  "to-mismatch": { status: 403, reason: "Forbidden" },
  // seed 23-24 check_from.
  "from-mismatch": { status: 403, reason: "Use From=ID" },
  // No open relay: a foreign destination needs an authenticated local caller.
  "relaying-denied": { status: 403, reason: "Relaying Denied" },
  // No open relay: an in-dialog request on a Route naming this proxy that this proxy did
  // not sign for the dialog (RFC 3261 §16.4 trusts our own Record-Route only).
  "bad-route": { status: 403, reason: "Invalid Route" },
  "too-many-contacts": { status: 403, reason: "Too Many Registered Contacts" },
  // seed 27 lookup("location") failed.
  "user-not-found": { status: 404, reason: "User Not Found" },
  // An in-dialog request that names neither this proxy's Route nor a local user.
  "not-here": { status: 404, reason: "Not Here" },
  // RFC 3261 §16.7 step 6 / §16.8: a branch timed out with no final response.
  "branch-timeout": { status: 408, reason: "Request Timeout" },
  // RFC 3261 §16.6 step 1 / §21.4.16.
  "unsupported-uri-scheme": { status: 416, reason: "Unsupported URI Scheme" },
  // RFC 3261 §10.3 step 7, with Min-Expires.
  "interval-too-brief": { status: 423, reason: "Interval Too Brief" },
  // RFC 3261 §9.2: a CANCEL matching no transaction.
  "no-such-transaction": { status: 481, reason: "Call/Transaction Does Not Exist" },
  // RFC 3261 §16.3 step 4.
  "loop-detected": { status: 482, reason: "Loop Detected" },
  // RFC 3261 §16.3 step 3; seed mf_process_maxfwd_header.
  "too-many-hops": { status: 483, reason: "Too Many Hops" },
  // RFC 3261 §9.2 / §16.10: the INVITE was cancelled before it was forwarded.
  "request-terminated": { status: 487, reason: "Request Terminated" },
  // seed `msg:len > max_len`.
  "message-too-large": { status: 513, reason: "Message Overflow" },
  // seed sl_reply_error for a failure that is not the dependencies' absence.
  "internal-error": { status: 500, reason: "Server Internal Error" },
  // RFC 3261 §10.3 step 7: an older REGISTER of the same Call-ID.
  "out-of-order": { status: 500, reason: "Out Of Order Request" },
  // auth or location did not answer in time; with Retry-After.
  "upstream-unavailable": { status: 503, reason: "Service Unavailable" },
  // The proxy is stopping and takes no new transactions; with Retry-After.
  "shutting-down": { status: 503, reason: "Service Unavailable" },
  // RFC 3261 §16.9: a transport error on a branch is treated as a 503.
  "branch-unreachable": { status: 503, reason: "Service Unavailable" },
  // RFC 3263 §4.3 / §16.9: the next hop's host has no address.
  "branch-unresolvable": { status: 503, reason: "Destination Unresolvable" },
} as const satisfies Record<ReplyOutcome, ReplySpec>;
