// One timer for the whole store: every interval, remove the expired bindings (from memory
// and from MySQL). Lookups never return an expired binding whatever the sweeper's pace; the
// sweeper only frees the space.

import type { LocationStore } from "./location-store.js";

export interface SweeperOptions {
  readonly intervalMs: number;
  /** Told how many bindings each sweep removed. */
  readonly onSwept: (count: number) => void;
  readonly onError: (error: unknown) => void;
}

export class ExpirySweeper {
  readonly #store: LocationStore;
  readonly #options: SweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(store: LocationStore, options: SweeperOptions) {
    this.#store = store;
    this.#options = options;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.sweep(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Runs one sweep now, unless one is running (then waits for that one). */
  sweep(): Promise<void> {
    this.#running ??= this.#store
      .sweep()
      .then(this.#options.onSwept, this.#options.onError)
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
