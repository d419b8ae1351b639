// Events: validated publish, and subscriptions every instance receives.

import type { NatsConnection } from "nats";
import type { z } from "zod";
import { decodeJson, encodeJson } from "./json.js";
import { type Listener, listen } from "./listener.js";
import type { Logger } from "./logger.js";
import { summarizeIssues } from "./zod-issues.js";

/** Thrown by {@link publishEvent} when the event does not match its schema (nothing is sent). */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

/**
 * Publishes `event` on `subject` after validating it with `schema`. Delivery is at most once:
 * a listener that is down misses it.
 * @throws {@link InvalidEventError} the event does not match `schema`.
 */
export function publishEvent<S extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  schema: S,
  event: z.input<S>,
): void {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidEventError(
      `event on ${subject} is invalid: ${summarizeIssues(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  nc.publish(subject, encodeJson(parsed.data));
}

/**
 * Runs `handler` for every valid event on `subject`, on every instance (no queue group).
 * Malformed events are logged and dropped; a handler that throws is logged.
 */
export function subscribeEvents<S extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  schema: S,
  handler: (event: z.output<S>) => Promise<void> | void,
  options: { readonly logger: Logger },
): Listener {
  const logger = options.logger.child({ subject });
  return listen(nc, subject, undefined, logger, async (msg) => {
    let body: unknown;
    try {
      body = decodeJson(msg.data);
    } catch {
      logger.warn("dropped an event that is not JSON");
      return;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      logger.warn({ issues: summarizeIssues(parsed.error) }, "dropped an invalid event");
      return;
    }
    await handler(parsed.data);
  });
}
