// What the four RFC 3261 §17 state machines share: the transition table check,
// named timers that all die with the transaction, and sending through an injected
// transport with failures turned into transport errors (§17.1.4, §17.2.4).

import type { Clock, TimerHandle } from "./clock.js";
import type { LingerQueue } from "./transaction-linger.js";
import type { TransactionTimers } from "./transaction-timers.js";
import type { Destination } from "./transport-address.js";

/** The transaction layer's only way out: sockets belong to the transports. */
export interface TransportSender {
  /**
   * Sends one message. A failure is reported by throwing or, for transports that
   * learn of it later (a TCP connect), by rejecting the returned promise.
   */
  send(data: Buffer, destination: Destination): void | Promise<void>;
}

/** Totals the layer turns into metrics; the machines increment them. */
export interface RetransmissionCounters {
  /** Requests, responses and ACKs sent again by a transaction. */
  sent: number;
  /** Retransmitted requests and responses a transaction swallowed. */
  absorbed: number;
}

/** Everything a transaction needs from its owner. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly transport: TransportSender;
  readonly timers: TransactionTimers;
  readonly counters: RetransmissionCounters;
  /** Where finished transactions wait out Timers D, I, J, K, L and M. */
  readonly linger: LingerQueue;
  /** Called once, on entering Terminated, so the owner drops the transaction. */
  readonly onTerminated: (transaction: TransactionMachine<string>) => void;
}

export type TransactionKind =
  | "client-invite"
  | "client-non-invite"
  | "server-invite"
  | "server-non-invite";

/** A bug in the caller: a state machine was asked for a move the RFC does not have. */
export class IllegalTransitionError extends Error {
  override readonly name = "IllegalTransitionError";
  constructor(
    readonly kind: TransactionKind,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${kind} transaction cannot go from ${from} to ${to}`);
  }
}

/** The transport could not send a transaction's message (RFC 3261 §17.1.4, §17.2.4). */
export class TransactionTransportError extends Error {
  override readonly name = "TransactionTransportError";
  constructor(
    readonly destination: Destination,
    options: { cause: unknown },
  ) {
    super(
      `could not send to ${destination.transport} ${destination.host}:${destination.port}`,
      options,
    );
  }
}

export type TransitionTable<S extends string> = { readonly [From in S]: readonly S[] };

/**
 * The timers a transaction arms itself; each transaction keeps at most one of each armed.
 * Timers D, I, J, K, L and M, which end a finished transaction, wait in the LingerQueue.
 */
export type TimerName = "A" | "B" | "E" | "F" | "G" | "H" | "Trying";

export abstract class TransactionMachine<S extends string> {
  abstract readonly kind: TransactionKind;
  /** What messages are matched to this transaction by (RFC 3261 §17.1.3, §17.2.3). */
  readonly key: string;
  #state: S;
  readonly #table: TransitionTable<S>;
  /** Exists while a timer is armed: a lingering transaction has none. */
  #timers: Map<TimerName, TimerHandle> | undefined;
  protected readonly context: TransactionContext;

  protected constructor(
    context: TransactionContext,
    key: string,
    initial: S,
    table: TransitionTable<S>,
  ) {
    this.context = context;
    this.key = key;
    this.#state = initial;
    this.#table = table;
  }

  get state(): S {
    return this.#state;
  }

  get terminated(): boolean {
    return this.#state === "Terminated";
  }

  /** Drops the transaction without reporting anything (RFC 3261 §9.1 after a CANCEL, shutdown). */
  terminate(): void {
    if (!this.terminated) this.transition("Terminated" as S);
  }

  /** Moves to `to`; throws IllegalTransitionError when the table has no such move. */
  protected transition(to: S): void {
    if (!this.#table[this.#state].includes(to)) {
      throw new IllegalTransitionError(this.kind, this.#state, to);
    }
    this.#state = to;
    if (to === "Terminated") {
      if (this.#timers !== undefined) {
        for (const handle of this.#timers.values()) this.context.clock.clearTimer(handle);
        this.#timers.clear();
      }
      this.context.onTerminated(this as TransactionMachine<string>);
    }
  }

  /**
   * Arms timer `name` (replacing an armed one); a duration of 0 runs `fire` at once. A
   * terminated transaction arms nothing.
   */
  protected startTimer(name: TimerName, ms: number, fire: () => void): void {
    this.stopTimer(name);
    if (this.terminated) return;
    if (ms <= 0) {
      fire();
      return;
    }
    const handle = this.context.clock.setTimer(ms, () => {
      this.#forgetTimer(name);
      fire();
    });
    this.#timers ??= new Map();
    this.#timers.set(name, handle);
  }

  protected stopTimer(name: TimerName): void {
    const handle = this.#timers?.get(name);
    if (handle === undefined) return;
    this.context.clock.clearTimer(handle);
    this.#forgetTimer(name);
  }

  // The map goes with its last timer: a transaction lingers 32 s without one.
  #forgetTimer(name: TimerName): void {
    this.#timers?.delete(name);
    if (this.#timers?.size === 0) this.#timers = undefined;
  }

  /**
   * Terminates the transaction after `ms` (Timer D, I, J, K, L or M), at once when `ms` is 0
   * as it is over a reliable transport for D, I, J and K. A terminated transaction waits for
   * nothing.
   */
  protected lingerFor(ms: number): void {
    if (!this.terminated) this.context.linger.add(ms, this);
  }

  /** Sends `data`; a failure, now or later, goes to onTransportError while not terminated. */
  protected transmit(data: Buffer, destination: Destination): void {
    const fail = (cause: unknown): void => {
      if (!this.terminated)
        this.onTransportError(new TransactionTransportError(destination, { cause }));
    };
    try {
      this.context.transport.send(data, destination)?.catch(fail);
    } catch (cause) {
      fail(cause);
    }
  }

  /** Sends `data` again and counts the retransmission. */
  protected retransmit(data: Buffer, destination: Destination): void {
    this.context.counters.sent++;
    this.transmit(data, destination);
  }

  protected abstract onTransportError(error: TransactionTransportError): void;
}
