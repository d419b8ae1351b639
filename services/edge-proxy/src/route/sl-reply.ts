// The seed's sl_send_reply (an answer from the reply table) and sl_reply_error (an
// internal failure as 500, or 503 with Retry-After when a dependency is away).

import {
  createResponse,
  SipParseError,
  type SipRequest,
  type SipResponse,
  statelessTag,
} from "@switchboard/sip";
import { UpstreamError } from "../upstream.js";
import type { Reply } from "./context.js";
import { REPLIES } from "./replies.js";

/** seed sl_send_reply: the response `reply` stands for, to `request`. */
export function slSendReply(request: SipRequest, reply: Reply): SipResponse {
  const spec = REPLIES[reply.outcome];
  const options = {
    ...(reply.headers === undefined ? {} : { headers: reply.headers }),
    // RFC 3261 §8.2.7: a stateless answer's To tag is the same for every retransmission.
    ...(reply.stateless ? { toTag: statelessTag(request) } : {}),
  };
  return createResponse(request, spec.status, reply.reason ?? spec.reason, options);
}

/** `Retry-After` for a 503 (RFC 3261 §21.5.4, §20.33). */
export function retryAfter(seconds: number): Reply["headers"] {
  return [{ name: "Retry-After", value: String(seconds) }];
}

/**
 * seed sl_reply_error: what to answer when a step failed. auth or location away → 503
 * with Retry-After; a value of the request the contracts refuse or a malformed header
 * read late → 400; anything else → 500.
 */
export function slReplyError(error: unknown, retryAfterSeconds: number): Reply {
  if (error instanceof UpstreamError) {
    if (error.unavailable) {
      return { outcome: "upstream-unavailable", headers: retryAfter(retryAfterSeconds) };
    }
    return { outcome: error.kind === "invalid-request" ? "bad-request" : "internal-error" };
  }
  if (error instanceof SipParseError) return { outcome: "bad-request", reason: error.reason };
  return { outcome: "internal-error" };
}
