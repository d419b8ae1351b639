// Messages published in one turn of the event loop go out together at its end.
// nats.js writes to its socket once per microtask checkpoint, so messages published at
// different depths of async code (requests and replies of a burst of work) would each cost
// a socket write, and wake the NATS server and the receiver once each; queued until
// setImmediate, a burst costs one write.
//
// Under load the batches are also spaced in time, as Nagle's algorithm spaces TCP segments:
// while the event loop has been busy most of the recent past, a batch waits until a
// millisecond after the previous one. A process near saturation then spends its time on
// its work rather than on one write (and one wake-up of the NATS server and the receiver)
// per message; an idle one answers at once.

import { performance } from "node:perf_hooks";
import type { NatsConnection } from "nats";
import { perConnection } from "./per-connection.js";

interface QueuedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly reply: string | undefined;
  readonly onError: (error: unknown) => void;
}

/** Batches are spaced by this much while the process is busy. */
const BUSY_BATCH_SPACING_MS = 1;
/** The share of time the event loop worked, over the last sample, above which it is busy. */
const BUSY_UTILIZATION = 0.7;
/** How often the event loop's utilization is sampled. */
const UTILIZATION_SAMPLE_MS = 100;

/** Whether this process's event loop has been busy lately; sampled, shared by all batches. */
const loadMonitor = {
  busy: false,
  last: performance.eventLoopUtilization(),
  timer: undefined as NodeJS.Timeout | undefined,
  watch(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.busy = performance.eventLoopUtilization(now, this.last).utilization > BUSY_UTILIZATION;
      this.last = now;
    }, UTILIZATION_SAMPLE_MS);
    this.timer.unref();
  },
};

export interface PublishBatchOptions {
  /** Whether to space batches; default: this process's event loop has been busy lately. */
  readonly isBusy?: () => boolean;
  /** How far apart batches go while busy; default 1 ms. */
  readonly busySpacingMs?: number;
}

export class PublishBatch {
  readonly #nc: NatsConnection;
  readonly #isBusy: () => boolean;
  readonly #busySpacingMs: number;
  #queue: QueuedMessage[] = [];
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  /** Resolves once the queued messages were handed to the connection. */
  #flushed: Promise<void> = Promise.resolve();

  constructor(nc: NatsConnection, options: PublishBatchOptions = {}) {
    this.#nc = nc;
    if (options.isBusy === undefined) loadMonitor.watch();
    this.#isBusy = options.isBusy ?? (() => loadMonitor.busy);
    this.#busySpacingMs = options.busySpacingMs ?? BUSY_BATCH_SPACING_MS;
  }

  /**
   * Publishes at the end of this turn of the event loop (or, while the process is busy, a
   * millisecond after the previous batch); `onError` learns why when the connection refuses
   * the message then (closed, draining, bad subject). The promise resolves once the message
   * was handed to the connection (or refused): a connection drained after that still sends it.
   */
  publish(
    subject: string,
    data: Uint8Array,
    reply: string | undefined,
    onError: (error: unknown) => void,
  ): Promise<void> {
    if (this.#queue.length === 0) {
      const wait = this.#isBusy() ? this.#lastFlushAt + this.#busySpacingMs - performance.now() : 0;
      this.#flushed = new Promise((resolve) => {
        const flush = () => {
          this.#flush();
          resolve();
        };
        if (wait > 0) setTimeout(flush, wait);
        else setImmediate(flush);
      });
    }
    this.#queue.push({ subject, data, reply, onError });
    return this.#flushed;
  }

  #flush(): void {
    this.#lastFlushAt = performance.now();
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

/** The connection's batch, shared by everything that publishes on it. */
export const publishBatchOf = perConnection((nc) => new PublishBatch(nc));
