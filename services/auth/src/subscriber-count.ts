// Keeps the subscribers gauge current: counted at start, after changes, and every
// few minutes (changes made directly in the database are picked up then).

import type { Logger } from "@switchboard/kit";

export interface SubscriberCountOptions {
  readonly count: () => Promise<number>;
  readonly publish: (count: number) => void;
  readonly logger: Logger;
  readonly intervalMs: number;
}

export class SubscriberCount {
  readonly #options: SubscriberCountOptions;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: SubscriberCountOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.refresh(), options.intervalMs);
    this.#timer.unref();
  }

  /** Counts again; calls made while a count runs lead to one more count after it. */
  refresh(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#countUntilSettled().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #countUntilSettled(): Promise<void> {
    do {
      this.#again = false;
      try {
        this.#options.publish(await this.#options.count());
      } catch (error) {
        this.#options.logger.warn({ err: error }, "could not count subscribers");
        return;
      }
    } while (this.#again);
  }
}
