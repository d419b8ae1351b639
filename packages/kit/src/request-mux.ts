// NATS request/reply for the hot path: every request of a connection shares one wildcard
// inbox subscription, and replies are matched to requests by the last subject token.
// nats.js's own request() does the same, but also allocates an Error and a timer for each
// request; here a request costs a map entry, and timeouts are checked by one timer per
// connection. Requests are published through the connection's PublishBatch.

import { createInbox, type Msg, type NatsConnection, type Subscription } from "nats";
import { type PublishBatch, publishBatchOf } from "./publish-batch.js";
import {
  type RpcError,
  RpcNoRespondersError,
  RpcTimeoutError,
  RpcTransportError,
} from "./rpc-errors.js";

interface PendingReply {
  readonly subject: string;
  readonly timeoutMs: number;
  readonly deadline: number;
  readonly resolve: (data: Uint8Array) => void;
  readonly reject: (error: RpcError) => void;
}

/** The status NATS sends to the reply subject when nobody subscribes to the request's. */
const NO_RESPONDERS_STATUS = 503;

function transportError(subject: string, error: unknown): RpcTransportError {
  const reason = error instanceof Error ? error.message : String(error);
  return new RpcTransportError(`request on ${subject} failed: ${reason}`, subject, {
    cause: error,
  });
}

export class RequestMux {
  readonly #nc: NatsConnection;
  readonly #publisher: PublishBatch;
  #inbox = "";
  #subscription: Subscription | undefined;
  #nextToken = 0;
  /** Pending requests by reply token. */
  readonly #pending = new Map<string, PendingReply>();
  /**
   * The same requests grouped by timeout: within a group they were sent in order, so their
   * deadlines are in order and the first one is the next to expire.
   */
  readonly #byTimeout = new Map<number, Map<string, PendingReply>>();
  #timer: NodeJS.Timeout | undefined;
  #timerDue = Number.POSITIVE_INFINITY;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#publisher = publishBatchOf(nc);
  }

  /** Requests waiting for their reply. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Publishes `data` on `subject` and resolves with the reply's data.
   * @throws {@link RpcNoRespondersError} nobody subscribes to `subject`;
   * @throws {@link RpcTimeoutError} no reply within `timeoutMs`;
   * @throws {@link RpcTransportError} the connection is closed or draining.
   */
  send(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      let inbox: string;
      try {
        inbox = this.#subscribe();
      } catch (error) {
        reject(transportError(subject, error));
        return;
      }
      const token = (this.#nextToken++).toString(36);
      const deadline = performance.now() + timeoutMs;
      const pending: PendingReply = { subject, timeoutMs, deadline, resolve, reject };
      this.#pending.set(token, pending);
      let group = this.#byTimeout.get(timeoutMs);
      if (group === undefined) {
        group = new Map();
        this.#byTimeout.set(timeoutMs, group);
      }
      group.set(token, pending);
      if (deadline < this.#timerDue) this.#armTimer(deadline);
      void this.#publisher.publish(subject, data, `${inbox}.${token}`, (error) =>
        this.#take(token)?.reject(transportError(subject, error)),
      );
    });
  }

  /** The inbox of this connection's replies, subscribed on first use. */
  #subscribe(): string {
    if (this.#subscription !== undefined) return this.#inbox;
    const inbox = createInbox();
    const subscription = this.#nc.subscribe(`${inbox}.*`, {
      callback: (error, msg) => {
        if (error === null) this.#onReply(msg, inbox);
      },
    });
    this.#inbox = inbox;
    this.#subscription = subscription;
    // Closed with the connection (or drained with it): nothing more can be answered.
    void subscription.closed.then(() => this.#onClosed(subscription));
    return inbox;
  }

  #onReply(msg: Msg, inbox: string): void {
    const token = msg.subject.slice(inbox.length + 1);
    const pending = this.#take(token);
    if (pending === undefined) return; // answered after its timeout
    if (msg.data.length === 0 && msg.headers?.code === NO_RESPONDERS_STATUS) {
      pending.reject(new RpcNoRespondersError(pending.subject));
    } else {
      pending.resolve(msg.data);
    }
  }

  #take(token: string): PendingReply | undefined {
    const pending = this.#pending.get(token);
    if (pending === undefined) return undefined;
    this.#pending.delete(token);
    this.#byTimeout.get(pending.timeoutMs)?.delete(token);
    return pending;
  }

  #armTimer(due: number): void {
    clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, due - performance.now()));
    // Pending requests do not keep a process alive that has nothing else to do.
    this.#timer.unref();
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerDue = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const group of this.#byTimeout.values()) {
      for (const [token, pending] of group) {
        if (pending.deadline > now) {
          next = Math.min(next, pending.deadline);
          break;
        }
        this.#take(token);
        pending.reject(new RpcTimeoutError(pending.subject, pending.timeoutMs));
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#armTimer(next);
  }

  #onClosed(subscription: Subscription): void {
    if (this.#subscription !== subscription) return;
    this.#subscription = undefined;
    for (const [token, pending] of this.#pending) {
      this.#take(token);
      pending.reject(transportError(pending.subject, new Error("the connection closed")));
    }
  }
}
