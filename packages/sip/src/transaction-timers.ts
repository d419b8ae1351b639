// Every transaction timer in one place, computed from T1, T2, T4 and whether the
// transport is reliable: RFC 3261 §17 and Table 4 (Appendix A), with Timers L and
// M from RFC 6026 §8.4/§8.7.

/** The base intervals of RFC 3261 §17.1.1.1 and Table 4, in milliseconds. */
export interface TimerSettings {
  /** RTT estimate. RFC 3261 default 500 ms. */
  readonly t1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses. Default 4 s. */
  readonly t2: number;
  /** Longest time a message stays in the network. Default 5 s. */
  readonly t4: number;
}

export const DEFAULT_TIMER_SETTINGS: TimerSettings = { t1: 500, t2: 4_000, t4: 5_000 };

/** The timer values one transaction uses, in milliseconds. */
export interface TransactionTimers {
  /** Initial INVITE retransmit interval; doubles every time. Undefined over a reliable transport. */
  readonly a: number | undefined;
  /** INVITE transaction timeout: 64·T1. */
  readonly b: number;
  /** Wait for response retransmissions: ≥ 32 s over UDP, 0 over a reliable transport. */
  readonly d: number;
  /** Initial non-INVITE retransmit interval. Undefined over a reliable transport. */
  readonly e: number | undefined;
  /** Non-INVITE transaction timeout: 64·T1. */
  readonly f: number;
  /** Initial INVITE final-response retransmit interval. Undefined over a reliable transport. */
  readonly g: number | undefined;
  /** Wait for ACK: 64·T1. */
  readonly h: number;
  /** Wait for ACK retransmissions: T4 over UDP, 0 over a reliable transport. */
  readonly i: number;
  /** Wait for non-INVITE request retransmissions: 64·T1 over UDP, 0 over a reliable transport. */
  readonly j: number;
  /** Wait for non-INVITE response retransmissions: T4 over UDP, 0 over a reliable transport. */
  readonly k: number;
  /** RFC 6026: wait for INVITE retransmissions after a 2xx was sent: 64·T1. */
  readonly l: number;
  /** RFC 6026: wait for 2xx retransmissions and 2xx from other forks: 64·T1. */
  readonly m: number;
  /** Cap of the doubling of Timers E and G: T2. */
  readonly retransmitCap: number;
}

/** RFC 3261 Table 4: Timer D is "> 32 s for UDP", at least as long as the peer's Timer H. */
const MIN_TIMER_D_UDP = 32_000;

export function transactionTimers(settings: TimerSettings, reliable: boolean): TransactionTimers {
  const { t1, t2, t4 } = settings;
  const sixtyFourT1 = 64 * t1;
  return {
    a: reliable ? undefined : t1,
    b: sixtyFourT1,
    d: reliable ? 0 : Math.max(MIN_TIMER_D_UDP, sixtyFourT1),
    e: reliable ? undefined : t1,
    f: sixtyFourT1,
    g: reliable ? undefined : t1,
    h: sixtyFourT1,
    i: reliable ? 0 : t4,
    j: reliable ? 0 : sixtyFourT1,
    k: reliable ? 0 : t4,
    l: sixtyFourT1,
    m: sixtyFourT1,
    retransmitCap: t2,
  };
}

/** The next retransmit interval: double the last one, capped when a cap applies. */
export function doubledInterval(interval: number, cap = Number.POSITIVE_INFINITY): number {
  return Math.min(2 * interval, cap);
}

/** Checks configured settings: positive finite numbers with T1 ≤ T2. */
export function validateTimerSettings(settings: TimerSettings): TimerSettings {
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(
        `timer ${name.toUpperCase()} must be a positive number of ms, not ${value}`,
      );
    }
  }
  if (settings.t1 > settings.t2) {
    throw new RangeError(`T1 (${settings.t1} ms) must not exceed T2 (${settings.t2} ms)`);
  }
  return settings;
}

/**
 * How long after sending a non-INVITE request over UDP the client's Timer E interval
 * reaches T2 (T1 + 2·T1 + … while below T2). RFC 4320 §4.1: a server MUST NOT send a 100
 * to a non-INVITE request over an unreliable transport before then.
 */
export function nonInviteProvisionalDelay(settings: TimerSettings): number {
  let elapsed = 0;
  for (let interval = settings.t1; interval < settings.t2; interval = doubledInterval(interval)) {
    elapsed += interval;
  }
  return elapsed;
}
