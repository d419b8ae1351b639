// Time for the transaction layer. The state machines never call setTimeout
// themselves: they get a Clock, so production runs on real timers and tests drive
// every RFC 3261 §17 timer by hand with ManualClock.

declare const timerHandleBrand: unique symbol;

/** An armed timer, as returned by Clock.setTimer. Opaque. */
export interface TimerHandle {
  readonly [timerHandleBrand]: true;
}

export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are meaningful. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Disarms a timer; a no-op for one that already fired or was cleared. */
  clearTimer(handle: TimerHandle): void;
}

/**
 * Real time. Timers are unref'd: a pending retransmission or a transaction
 * lingering in Completed never keeps the process alive on its own.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const timeout = setTimeout(fn, ms);
    timeout.unref();
    return timeout as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};

interface ManualTimer {
  readonly due: number;
  /** Scheduling order, so timers due at the same instant fire first-in first-out. */
  readonly order: number;
  readonly fn: () => void;
}

/** A clock that moves only when told to: `advance(ms)` fires the due timers in order. */
export class ManualClock implements Clock {
  #now: number;
  #nextOrder = 0;
  readonly #timers = new Set<ManualTimer>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: ManualTimer = { due: this.#now + Math.max(0, ms), order: this.#nextOrder++, fn };
    this.#timers.add(timer);
    return timer as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle as unknown as ManualTimer);
  }

  /** Timers armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way in
   * due-time order — including timers armed by the timers that fire. Each timer
   * sees `now()` equal to its own due time.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    const target = this.#now + ms;
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#timers.delete(timer);
      this.#now = timer.due;
      timer.fn();
    }
    this.#now = target;
  }

  #nextDue(limit: number): ManualTimer | undefined {
    let next: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.due > limit) continue;
      if (!next || timer.due < next.due || (timer.due === next.due && timer.order < next.order)) {
        next = timer;
      }
    }
    return next;
  }
}
