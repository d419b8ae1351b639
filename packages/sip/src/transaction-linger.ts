// Finished transactions waiting out Timers D, I, J, K, L and M (RFC 3261 §17, RFC 6026
// §8): the time a transaction lingers after its work is done, to absorb retransmissions.
// At thousands of requests per second tens of thousands linger at once, and a clock timer
// each would weigh more than what the transaction itself still holds. Each of these
// timers has one duration per transport kind, so transactions that start waiting the
// same duration fall due in the order they started: one first-in first-out queue per
// duration, and one clock timer per queue, armed for its oldest entry.

import type { Clock, TimerHandle } from "./clock.js";

/** What lingers: a transaction that ends when its time is up. */
export interface Lingering {
  readonly terminated: boolean;
  terminate(): void;
}

/** The entries of one duration, oldest first, and the timer armed for the oldest. */
class FifoOfDuration {
  /** Entries before `head` are gone; the arrays are compacted as the head moves on. */
  readonly items: (Lingering | undefined)[] = [];
  readonly due: number[] = [];
  head = 0;
  timer: TimerHandle | undefined;

  get size(): number {
    return this.items.length - this.head;
  }

  shift(): Lingering | undefined {
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    // Compacting once half the arrays are spent keeps each entry's share of it constant.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items.splice(0, this.head);
      this.due.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }
}

export class LingerQueue {
  readonly #clock: Clock;
  readonly #byDuration = new Map<number, FifoOfDuration>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Terminates `transaction` after `ms` milliseconds (at once when `ms` is 0), unless it
   * has terminated by then.
   */
  add(ms: number, transaction: Lingering): void {
    if (ms <= 0) {
      transaction.terminate();
      return;
    }
    let fifo = this.#byDuration.get(ms);
    if (fifo === undefined) {
      fifo = new FifoOfDuration();
      this.#byDuration.set(ms, fifo);
    }
    fifo.items.push(transaction);
    fifo.due.push(this.#clock.now() + ms);
    if (fifo.timer === undefined) this.#arm(fifo, ms);
  }

  /** Disarms every timer and forgets every entry (the transactions are left as they are). */
  close(): void {
    for (const fifo of this.#byDuration.values()) {
      if (fifo.timer !== undefined) this.#clock.clearTimer(fifo.timer);
    }
    this.#byDuration.clear();
  }

  #arm(fifo: FifoOfDuration, ms: number): void {
    fifo.timer = this.#clock.setTimer(ms, () => {
      fifo.timer = undefined;
      this.#expire(fifo);
    });
  }

  #expire(fifo: FifoOfDuration): void {
    const now = this.#clock.now();
    while (fifo.size > 0 && (fifo.due[fifo.head] ?? 0) <= now) {
      const transaction = fifo.shift();
      if (transaction !== undefined && !transaction.terminated) transaction.terminate();
    }
    const next = fifo.due[fifo.head];
    // A real timer may fire a little before its entry is due by performance.now(): the
    // entry then gets a timer of its own, at least 1 ms on.
    if (next !== undefined && fifo.timer === undefined) this.#arm(fifo, Math.max(1, next - now));
  }
}
