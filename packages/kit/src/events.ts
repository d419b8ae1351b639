// Events: validated publish, and subscriptions every instance receives.

import { Events, type NatsConnection } from "nats";
import type { z } from "zod";
import { decodeJson, encodeJson } from "./json.js";
import { type Listener, listen } from "./listener.js";
import type { Logger } from "./logger.js";
import { withTimeout } from "./timeout.js";
import { summarizeIssues } from "./zod-issues.js";

/** How long {@link announceEvent} waits for NATS to take an event. */
const ANNOUNCE_FLUSH_TIMEOUT_MS = 1000;

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

/**
 * Publishes a change event and waits (at most 1 s) until NATS has it, so that a request sent
 * after this returns reaches every instance after the event: for an admin API that answers
 * once the change is announced. A NATS outage does not fail the change, it is logged: the
 * listeners then drop what they cached on reconnect (see {@link clearOnReconnect}) or at its
 * TTL.
 */
export async function announceEvent<S extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  schema: S,
  event: z.input<S>,
  logger: Logger,
): Promise<void> {
  try {
    publishEvent(nc, subject, schema, event);
    await withTimeout(nc.flush(), ANNOUNCE_FLUSH_TIMEOUT_MS, `flushing ${subject}`);
  } catch (error) {
    logger.warn({ err: error, subject }, "a change event may not have reached the other instances");
  }
}

/**
 * Clears `cache` each time the connection comes back: events published while this instance
 * was cut off from NATS are lost, so what it cached may be stale. Runs until the connection
 * closes.
 */
export async function clearOnReconnect(
  nc: NatsConnection,
  cache: { clear(): void },
): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === Events.Reconnect) cache.clear();
  }
}
