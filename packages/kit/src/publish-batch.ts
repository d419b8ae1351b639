// Messages published in one turn of the event loop go out together at its end.
// nats.js writes to its socket once per microtask checkpoint, so messages published at
// different depths of async code (requests and replies of a burst of work) would each cost
// a socket write, and wake the NATS server and the receiver once each; queued until
// setImmediate, a burst costs one write.

import type { NatsConnection } from "nats";

interface QueuedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly reply: string | undefined;
  readonly onError: (error: unknown) => void;
}

export class PublishBatch {
  readonly #nc: NatsConnection;
  #queue: QueuedMessage[] = [];
  /** Resolves once the queued messages were handed to the connection. */
  #flushed: Promise<void> = Promise.resolve();

  constructor(nc: NatsConnection) {
    this.#nc = nc;
  }

  /**
   * Publishes at the end of this turn of the event loop; `onError` learns why when the
   * connection refuses the message then (closed, draining, bad subject). The promise
   * resolves once the message was handed to the connection (or refused): a connection
   * drained after that still sends it.
   */
  publish(
    subject: string,
    data: Uint8Array,
    reply: string | undefined,
    onError: (error: unknown) => void,
  ): Promise<void> {
    if (this.#queue.length === 0) {
      this.#flushed = new Promise((resolve) =>
        setImmediate(() => {
          this.#flush();
          resolve();
        }),
      );
    }
    this.#queue.push({ subject, data, reply, onError });
    return this.#flushed;
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const { subject, data, reply, onError } of queue) {
      try {
        this.#nc.publish(subject, data, reply === undefined ? undefined : { reply });
      } catch (error) {
        onError(error);
      }
    }
  }
}

const batches = new WeakMap<NatsConnection, PublishBatch>();

/** The connection's batch, shared by everything that publishes on it. */
export function publishBatchOf(nc: NatsConnection): PublishBatch {
  let batch = batches.get(nc);
  if (batch === undefined) {
    batch = new PublishBatch(nc);
    batches.set(nc, batch);
  }
  return batch;
}
