// Wall-clock time for the services: milliseconds since the epoch, the time nonces carry from
// one instance to another and binding expiry is stored in. Not the monotonic clock with timers
// that @switchboard/sip's transaction layer takes: this one is comparable across processes.
// Tests pass ManualClock from @switchboard/kit/testing.

/** A source of wall-clock time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** The system's wall clock (`Date.now()`). */
export const systemClock: Clock = { now: () => Date.now() };
