// The responding side of NATS request/reply: validate the request, run the handler,
// reply with its result or with the common error reply. No request, however bad,
// makes an exception escape.

import type { ErrorCode, ErrorReply } from "@switchboard/contracts";
import type { Msg, NatsConnection } from "nats";
import type { z } from "zod";
import { isUnavailableError } from "./errors.js";
import { decodeJson, encodeJson } from "./json.js";
import { type Listener, listen } from "./listener.js";
import type { Logger } from "./logger.js";
import { publishBatchOf } from "./publish-batch.js";
import type { RpcMetrics } from "./rpc-metrics.js";
import { summarizeIssues } from "./zod-issues.js";

/** What a handler learns besides the request. */
export interface RpcContext {
  readonly subject: string;
  /** A child logger bound to the subject. */
  readonly logger: Logger;
}

/**
 * Answers one validated request. Throw an `UnavailableError` (or let a MySQL connection error
 * escape) for the `unavailable` error reply; anything else thrown becomes `internal`.
 */
export type RpcHandler<Req, Res> = (request: Req, context: RpcContext) => Promise<Res> | Res;

export interface ServeOptions {
  readonly logger: Logger;
  readonly metrics?: RpcMetrics;
}

function errorReply(code: ErrorCode, message: string): ErrorReply {
  return { error: { code, message } };
}

/**
 * Serves `subject` in `queueGroup`: NATS hands each request to one member of the group, so
 * instances of a service share the load.
 *
 * For each request: malformed JSON or a request failing `requestSchema` gets the error reply
 * `bad-request` (with the validation issues); otherwise `handler` runs with the parsed request
 * and its result, checked with `responseSchema`, is the reply (a result that fails the check
 * is a bug: logged, answered `internal`). A thrown error is logged and answered `unavailable`
 * or `internal` (the message does not reveal internals). The handler's return type comes from
 * `responseSchema`, like `request()`'s payload type comes from its request schema.
 *
 * Declare the handler's return type (`async (req): Promise<AuthVerifyResponse> => …`, or a
 * named `RpcHandler<AuthVerifyRequest, AuthVerifyResponse>`): in a generic call TypeScript
 * widens the literal fields of an unannotated arrow's result (`ok: false` becomes `boolean`).
 *
 * At shutdown: `stop()`, then `settled(timeoutMs)` to let running handlers reply, then drain
 * the connection.
 */
export function serve<Req extends z.ZodType, Res extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  queueGroup: string,
  requestSchema: Req,
  responseSchema: Res,
  handler: RpcHandler<z.output<Req>, z.input<Res>>,
  options: ServeOptions,
): Listener {
  const logger = options.logger.child({ subject });
  const context: RpcContext = { subject, logger };
  const publisher = publishBatchOf(nc);

  async function answer(msg: Msg): Promise<{ reply: unknown; outcome: "ok" | ErrorCode }> {
    let body: unknown;
    try {
      body = decodeJson(msg.data);
    } catch {
      return { reply: errorReply("bad-request", "request is not JSON"), outcome: "bad-request" };
    }
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) {
      const message = `invalid request: ${summarizeIssues(parsed.error)}`;
      return { reply: errorReply("bad-request", message), outcome: "bad-request" };
    }
    try {
      const result = responseSchema.safeParse(await handler(parsed.data, context));
      if (!result.success) {
        const issues = summarizeIssues(result.error);
        logger.error({ issues }, "handler result breaks the response schema");
        return { reply: errorReply("internal", "internal error"), outcome: "internal" };
      }
      return { reply: result.data, outcome: "ok" };
    } catch (error) {
      if (isUnavailableError(error)) {
        logger.warn({ err: error }, "request failed: dependency unavailable");
        return {
          reply: errorReply("unavailable", "a dependency is unavailable"),
          outcome: "unavailable",
        };
      }
      logger.error({ err: error }, "request handler failed");
      return { reply: errorReply("internal", "internal error"), outcome: "internal" };
    }
  }

  return listen(nc, subject, queueGroup, logger, async (msg) => {
    const started = performance.now();
    const { reply, outcome } = await answer(msg);
    options.metrics?.recordServer(subject, outcome, (performance.now() - started) / 1000);
    if (!msg.reply) {
      logger.debug("request without a reply subject, nothing sent");
      return;
    }
    await publisher.publish(msg.reply, encodeJson(reply), undefined, (error) =>
      logger.error({ err: error }, "could not send the reply"),
    );
  });
}
