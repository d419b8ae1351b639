// The requesting side of NATS request/reply: validate, send, validate the reply,
// and turn every failure into a typed RpcError.

import { ErrorReplySchema } from "@switchboard/contracts";
import type { NatsConnection } from "nats";
import type { z } from "zod";
import { decodeJson, encodeJson } from "./json.js";
import { perConnection } from "./per-connection.js";
import { RequestMux } from "./request-mux.js";
import {
  RpcInvalidReplyError,
  RpcInvalidRequestError,
  RpcNoRespondersError,
  RpcRemoteError,
  RpcTimeoutError,
} from "./rpc-errors.js";
import type { RpcClientOutcome, RpcMetrics } from "./rpc-metrics.js";
import { summarizeIssues } from "./zod-issues.js";

export interface RequestOptions {
  /** How long to wait for the reply. */
  readonly timeoutMs: number;
  readonly metrics?: RpcMetrics;
}

function replyOf<Res extends z.ZodType>(
  subject: string,
  data: Uint8Array,
  responseSchema: Res,
): z.output<Res> {
  let body: unknown;
  try {
    body = decodeJson(data);
  } catch (error) {
    throw new RpcInvalidReplyError(`reply on ${subject} is not JSON`, subject, { cause: error });
  }
  // Only a body with an "error" member can be the error reply: a normal reply is not put
  // through a schema that it fails.
  if (typeof body === "object" && body !== null && "error" in body) {
    const failure = ErrorReplySchema.safeParse(body);
    if (failure.success)
      throw new RpcRemoteError(subject, failure.data.error.code, failure.data.error.message);
  }
  const reply = responseSchema.safeParse(body);
  if (!reply.success) {
    const issues = summarizeIssues(reply.error);
    throw new RpcInvalidReplyError(`reply on ${subject} is invalid: ${issues}`, subject, {
      cause: reply.error,
    });
  }
  return reply.data;
}

/** One reply multiplexer per connection. */
const muxOf = perConnection((nc) => new RequestMux(nc));

function outcomeOf(error: unknown): RpcClientOutcome {
  if (error instanceof RpcTimeoutError) return "timeout";
  if (error instanceof RpcNoRespondersError) return "no-responders";
  if (error instanceof RpcRemoteError) return "remote-error";
  if (error instanceof RpcInvalidReplyError) return "invalid-reply";
  if (error instanceof RpcInvalidRequestError) return "invalid-request";
  return "transport";
}

/**
 * Sends `payload` on `subject` and returns the validated reply.
 *
 * The payload is validated with `requestSchema` first and the parsed value is sent (unknown
 * fields stripped). The reply is the subject's response (validated with `responseSchema`) or
 * the common error reply.
 *
 * @throws {@link RpcInvalidRequestError} the payload does not match `requestSchema` (not sent);
 * @throws {@link RpcNoRespondersError} nobody serves the subject;
 * @throws {@link RpcTimeoutError} no reply within `timeoutMs`;
 * @throws {@link RpcTransportError} the connection is closed or draining;
 * @throws {@link RpcRemoteError} the responder sent the error reply (`code`, `remoteMessage`);
 * @throws {@link RpcInvalidReplyError} the reply is not JSON or matches neither schema.
 */
export async function request<Req extends z.ZodType, Res extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  requestSchema: Req,
  responseSchema: Res,
  payload: z.input<Req>,
  options: RequestOptions,
): Promise<z.output<Res>> {
  const started = performance.now();
  let outcome: RpcClientOutcome = "ok";
  try {
    const parsed = requestSchema.safeParse(payload);
    if (!parsed.success) {
      const issues = summarizeIssues(parsed.error);
      throw new RpcInvalidRequestError(`request on ${subject} is invalid: ${issues}`, subject, {
        cause: parsed.error,
      });
    }
    const data = await muxOf(nc).send(subject, encodeJson(parsed.data), options.timeoutMs);
    return replyOf(subject, data, responseSchema);
  } catch (error) {
    outcome = outcomeOf(error);
    throw error;
  } finally {
    options.metrics?.recordClient(subject, outcome, (performance.now() - started) / 1000);
  }
}
