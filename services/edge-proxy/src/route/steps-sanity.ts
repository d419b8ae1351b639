// The seed's sanity check section, and the loop check of RFC 3261 §16.3.

import { isLooping } from "../proxy/loop-detection.js";
import {
  CONTINUE,
  type RequestContext,
  type RouteDeps,
  reply,
  type StepResult,
} from "./context.js";

/** RFC 3261 §16.6 step 3: the value a proxy adds when the request has no Max-Forwards. */
const DEFAULT_MAX_FORWARDS = 70;

/**
 * seed mf_process_maxfwd_header("10"): 483 Too Many Hops when Max-Forwards is 0 (RFC 3261
 * §16.3 step 3); otherwise the copy carries the value decremented (§16.6 step 3), 70 when
 * there was none, and never more than MAX_FORWARDS_LIMIT.
 */
export function mfProcessMaxfwdHeader(ctx: RequestContext, deps: RouteDeps): StepResult {
  const received = ctx.request.maxForwards;
  if (received === 0) return reply("too-many-hops");
  const next = received === undefined ? DEFAULT_MAX_FORWARDS : received - 1;
  ctx.maxForwards = Math.min(next, deps.maxForwardsLimit);
  return CONTINUE;
}

/** seed `if (msg:len > max_len) sl_send_reply("513", "Message Overflow")`. */
export function checkMessageLength(ctx: RequestContext, deps: RouteDeps): StepResult {
  return ctx.size > deps.maxMessageBytes ? reply("message-too-large") : CONTINUE;
}

/** RFC 3261 §16.3 step 4: 482 Loop Detected for a request that came back unchanged. */
export function detectLoop(ctx: RequestContext, deps: RouteDeps): StepResult {
  return isLooping(ctx.request, deps.identity) ? reply("loop-detected") : CONTINUE;
}
