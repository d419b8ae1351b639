// A NATS subscription whose messages are handled by async functions, with the
// handlers in flight tracked so that shutdown can wait for them.

import type { Msg, NatsConnection } from "nats";
import type { Logger } from "./logger.js";
import { withTimeout } from "./timeout.js";

/** A running subscription (a responder or an event listener). */
export interface Listener {
  readonly subject: string;
  /** The queue group, or undefined when every instance gets every message. */
  readonly queueGroup: string | undefined;
  /** Handlers running now. */
  readonly inFlight: number;
  /**
   * Stops taking messages: unsubscribes after the messages already delivered to this process
   * have been handed to their handlers. Handlers still running keep running.
   */
  stop(): Promise<void>;
  /** Resolves true once no handler runs, false if `timeoutMs` passes first. */
  settled(timeoutMs: number): Promise<boolean>;
}

/**
 * Subscribes `onMessage` to `subject` (in `queueGroup` when given). `onMessage` must not
 * reject; if it does anyway, the rejection is logged.
 */
export function listen(
  nc: NatsConnection,
  subject: string,
  queueGroup: string | undefined,
  logger: Logger,
  onMessage: (msg: Msg) => Promise<void>,
): Listener {
  const running = new Set<Promise<void>>();
  const subscription = nc.subscribe(subject, {
    ...(queueGroup === undefined ? {} : { queue: queueGroup }),
    callback: (error, msg) => {
      if (error) {
        logger.error({ err: error, subject }, "subscription error");
        return;
      }
      const handling = onMessage(msg)
        .catch((failure: unknown) =>
          logger.error({ err: failure, subject }, "message handler failed"),
        )
        .finally(() => running.delete(handling));
      running.add(handling);
    },
  });

  return {
    subject,
    queueGroup,
    get inFlight() {
      return running.size;
    },
    async stop() {
      if (subscription.isClosed() || nc.isClosed()) return;
      await subscription.drain();
    },
    async settled(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (running.size > 0) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) return false;
        try {
          await withTimeout(Promise.all(running), remaining, "in-flight handlers");
        } catch {
          return false;
        }
      }
      return true;
    },
  };
}
