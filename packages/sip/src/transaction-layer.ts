// The RFC 3261 §17 transaction layer: the tables of client and server
// transactions, matching of incoming messages to them (§17.1.3, §17.2.3), and the
// hand-over to the transaction user. It opens no sockets and owns no real timers:
// it sends through a TransportSender and keeps time with a Clock.

import type { Clock } from "./clock.js";
import type { SipRequest, SipResponse, Via } from "./message.js";
import { InviteClientTransaction } from "./transaction-client-invite.js";
import { NonInviteClientTransaction } from "./transaction-client-non-invite.js";
import {
  ackKeys,
  cancelledInviteKey,
  clientTransactionKey,
  serverTransactionKey,
} from "./transaction-key.js";
import { LingerQueue } from "./transaction-linger.js";
import type {
  RetransmissionCounters,
  TransactionContext,
  TransactionKind,
  TransportSender,
} from "./transaction-machine.js";
import { InviteServerTransaction } from "./transaction-server-invite.js";
import { NonInviteServerTransaction } from "./transaction-server-non-invite.js";
import {
  DEFAULT_TIMER_SETTINGS,
  type TimerSettings,
  type TransactionTimers,
  transactionTimers,
  validateTimerSettings,
} from "./transaction-timers.js";
import type {
  ClientTransactionHandlers,
  ServerTransaction,
  TransactionUser,
} from "./transaction-user.js";
import { type Destination, responseDestination } from "./transport-address.js";

/**
 * Where a UDP request's responses go (RFC 3261 §18.2.2, RFC 3581 §4): the source object
 * itself when the Via leads back to it, so that a transaction holds one Destination.
 */
function viaDestination(via: Via, source: Destination): Destination {
  const destination = responseDestination(via);
  if (destination === undefined) return source;
  const same =
    destination.host === source.host &&
    destination.port === source.port &&
    destination.transport === source.transport;
  return same ? source : destination;
}

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

export interface TransactionLayerOptions {
  readonly transport: TransportSender;
  readonly clock: Clock;
  readonly user: TransactionUser;
  /** T1, T2, T4 (RFC 3261 Table 4); defaults 500 ms, 4 s, 5 s. */
  readonly timers?: Partial<TimerSettings>;
  /**
   * RFC 3261 §17.2.1: send 100 Trying for an INVITE when the TU has sent nothing
   * within this many ms (0: at once). Unset: the TU sends it (InviteServerTransaction.sendTrying).
   */
  readonly tryingAfterMs?: number;
}

/** What became of a request given to handleRequest. */
export type RequestDisposition =
  /** A new server transaction was handed to the TU (onRequest or onCancel). */
  | "new-transaction"
  /** A retransmission absorbed by its server transaction (RFC 3261 §17.2.1, §17.2.2). */
  | "retransmission"
  /** An ACK consumed by the INVITE server transaction of a non-2xx response. */
  | "ack-absorbed"
  /** An ACK passed to the TU (onAck): for a 2xx, or matching no transaction. */
  | "ack-to-tu"
  /** No top Via: the request can be neither matched nor answered (RFC 3261 §18.2.2). */
  | "unmatchable";

/** What became of a response given to handleResponse. */
export type ResponseDisposition = "matched" | "stray";

export interface TransactionLayerStats {
  /** Transactions not yet terminated, by kind. */
  readonly inFlight: Readonly<Record<TransactionKind, number>>;
  /** Requests, responses and ACKs the transactions sent again. */
  readonly retransmissionsSent: number;
  /** Retransmitted requests and responses absorbed by a transaction. */
  readonly retransmissionsAbsorbed: number;
  /** Responses matching no client transaction, passed to the TU. */
  readonly strayResponses: number;
  /** ACKs no transaction absorbed (for 2xx responses, or unmatched), passed to the TU. */
  readonly acksToTu: number;
}

export class TransactionLayer {
  readonly #transport: TransportSender;
  readonly #clock: Clock;
  readonly #user: TransactionUser;
  readonly #tryingAfterMs: number | undefined;
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #counters: RetransmissionCounters = { sent: 0, absorbed: 0 };
  readonly #linger: LingerQueue;
  /** One context per table and kind of transport, shared by its transactions. */
  readonly #contexts: {
    readonly clients: {
      readonly reliable: TransactionContext;
      readonly unreliable: TransactionContext;
    };
    readonly servers: {
      readonly reliable: TransactionContext;
      readonly unreliable: TransactionContext;
    };
  };
  readonly #inFlight: Record<TransactionKind, number> = {
    "client-invite": 0,
    "client-non-invite": 0,
    "server-invite": 0,
    "server-non-invite": 0,
  };
  #strayResponses = 0;
  #acksToTu = 0;

  constructor(options: TransactionLayerOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#user = options.user;
    this.#tryingAfterMs = options.tryingAfterMs;
    const settings = validateTimerSettings({ ...DEFAULT_TIMER_SETTINGS, ...options.timers });
    this.#linger = new LingerQueue(options.clock);
    const contexts = (table: Map<string, ClientTransaction | ServerTransaction>) => ({
      reliable: this.#context(table, transactionTimers(settings, true)),
      unreliable: this.#context(table, transactionTimers(settings, false)),
    });
    this.#contexts = { clients: contexts(this.#clients), servers: contexts(this.#servers) };
  }

  /** A request from the transport (RFC 3261 §17.2.3). */
  handleRequest(request: SipRequest, source: Destination): RequestDisposition {
    if (request.method === "ACK") return this.#handleAck(request, source);
    const key = serverTransactionKey(request);
    const via = request.vias[0];
    if (key === undefined || via === undefined) return "unmatchable";
    const existing = this.#servers.get(key);
    if (existing) {
      existing.receiveRetransmission();
      return "retransmission";
    }
    // RFC 3261 §18.2.2: over a reliable transport the response goes back on the
    // connection the request came in on.
    const destination = source.transport === "UDP" ? viaDestination(via, source) : source;
    const context = this.#contexts.servers[source.transport === "UDP" ? "unreliable" : "reliable"];
    if (request.method === "INVITE") {
      const transaction = new InviteServerTransaction(
        context,
        key,
        request,
        source,
        destination,
        this.#user,
      );
      this.#add(key, this.#servers, transaction);
      if (this.#tryingAfterMs !== undefined) transaction.sendTryingAfter(this.#tryingAfterMs);
      this.#user.onRequest(transaction);
      return "new-transaction";
    }
    const transaction = new NonInviteServerTransaction(
      context,
      key,
      request,
      source,
      destination,
      this.#user,
    );
    this.#add(key, this.#servers, transaction);
    if (request.method === "CANCEL") {
      // RFC 3261 §9.2: the CANCEL has its own transaction; the TU also gets the INVITE
      // server transaction it cancels.
      const targetKey = cancelledInviteKey(request);
      const target = targetKey === undefined ? undefined : this.#servers.get(targetKey);
      this.#user.onCancel(
        transaction,
        target instanceof InviteServerTransaction ? target : undefined,
      );
    } else {
      this.#user.onRequest(transaction);
    }
    return "new-transaction";
  }

  /** A response from the transport (RFC 3261 §17.1.3). */
  handleResponse(response: SipResponse, source: Destination): ResponseDisposition {
    const key = clientTransactionKey(response);
    const transaction = key === undefined ? undefined : this.#clients.get(key);
    if (!transaction) {
      this.#strayResponses++;
      this.#user.onStrayResponse(response, source);
      return "stray";
    }
    transaction.receiveResponse(response);
    return "matched";
  }

  /**
   * Creates a client transaction for `request` and sends it to `destination` (RFC 3261
   * §17.1). The request's top Via must carry a branch unique to this transaction. A
   * transport error while sending is reported through `handlers`, possibly before
   * this method returns.
   */
  sendRequest(
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ): ClientTransaction {
    if (request.method === "ACK") {
      throw new TypeError("an ACK is sent without a client transaction (RFC 3261 §17.1)");
    }
    const key = clientTransactionKey(request);
    if (key === undefined) {
      throw new TypeError("a request sent by a client transaction needs a top Via branch");
    }
    if (this.#clients.has(key)) {
      throw new TypeError(`a client transaction for branch ${request.vias[0]?.branch} exists`);
    }
    const context =
      this.#contexts.clients[destination.transport === "UDP" ? "unreliable" : "reliable"];
    const transaction =
      request.method === "INVITE"
        ? new InviteClientTransaction(context, key, request, destination, handlers)
        : new NonInviteClientTransaction(context, key, request, destination, handlers);
    this.#add(key, this.#clients, transaction);
    transaction.start();
    return transaction;
  }

  get stats(): TransactionLayerStats {
    return {
      inFlight: { ...this.#inFlight },
      retransmissionsSent: this.#counters.sent,
      retransmissionsAbsorbed: this.#counters.absorbed,
      strayResponses: this.#strayResponses,
      acksToTu: this.#acksToTu,
    };
  }

  /** Terminates every transaction without reporting anything, e.g. on shutdown. */
  close(): void {
    for (const transaction of [...this.#clients.values(), ...this.#servers.values()]) {
      transaction.terminate();
    }
    this.#linger.close();
  }

  // RFC 3261 §17.2.3: an ACK matches the INVITE server transaction; §17.2.1 it is
  // absorbed there for a non-2xx response. An ACK for a 2xx is a transaction of its
  // own (§17.1.1.3) and goes to the TU, which a proxy forwards statelessly (§16.7).
  #handleAck(ack: SipRequest, source: Destination): RequestDisposition {
    const transaction = this.#ackTransaction(ack);
    if (transaction?.receiveAck() === "absorbed") return "ack-absorbed";
    this.#acksToTu++;
    this.#user.onAck(ack, source);
    return "ack-to-tu";
  }

  #ackTransaction(ack: SipRequest): InviteServerTransaction | undefined {
    for (const key of ackKeys(ack)) {
      const transaction = this.#servers.get(key);
      if (transaction instanceof InviteServerTransaction && transaction.matchesAck(ack)) {
        return transaction;
      }
    }
    return undefined;
  }

  #context(
    table: Map<string, ClientTransaction | ServerTransaction>,
    timers: TransactionTimers,
  ): TransactionContext {
    return {
      clock: this.#clock,
      transport: this.#transport,
      timers,
      counters: this.#counters,
      linger: this.#linger,
      onTerminated: (transaction) => {
        if (table.get(transaction.key) !== transaction) return;
        table.delete(transaction.key);
        this.#inFlight[transaction.kind]--;
      },
    };
  }

  #add<T extends ClientTransaction | ServerTransaction>(
    key: string,
    table: Map<string, T>,
    transaction: T,
  ): void {
    table.set(key, transaction);
    this.#inFlight[transaction.kind]++;
  }
}
