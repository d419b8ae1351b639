// What the two client machines share (RFC 3261 §17.1): the request, where it goes,
// the TU's handlers, and how a timeout or a transport error ends the transaction.
// Once the request needs no more retransmitting, the transaction lets go of it: in
// Completed it only absorbs response retransmissions (§17.1.1.2, §17.1.2.2).

import type { SipRequest, SipResponse } from "./message.js";
import {
  type TransactionContext,
  TransactionMachine,
  type TransactionTransportError,
  type TransitionTable,
} from "./transaction-machine.js";
import type { ClientTransactionHandlers } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

/** The handlers of a transaction whose TU has heard all it will hear. */
const NO_HANDLERS: ClientTransactionHandlers = {
  onResponse: () => {},
  onTimeout: () => {},
  onTransportError: () => {},
};

/** What both client machines share: the request, where it goes, and the TU's handlers. */
export abstract class ClientTransactionMachine<S extends string> extends TransactionMachine<S> {
  readonly destination: Destination;
  #handlers: ClientTransactionHandlers;
  #request: SipRequest | undefined;
  #requestBytes: Buffer | undefined;

  protected constructor(
    context: TransactionContext,
    key: string,
    initial: S,
    table: TransitionTable<S>,
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ) {
    super(context, key, initial, table);
    this.#request = request;
    this.destination = destination;
    this.#handlers = handlers;
    this.#requestBytes = request.toBuffer();
  }

  /** The request, until it needs no more retransmitting (a final response, or the end). */
  get request(): SipRequest | undefined {
    return this.#request;
  }

  protected get handlers(): ClientTransactionHandlers {
    return this.#handlers;
  }

  /** Sends the request and arms the transaction's timers. */
  abstract start(): void;

  /** A response matched to this transaction (RFC 3261 §17.1.3). */
  abstract receiveResponse(response: SipResponse): void;

  /** Sends the request (again when `retransmission`); nothing once it was released. */
  protected sendRequest(retransmission: boolean): void {
    const bytes = this.#requestBytes;
    if (bytes === undefined) return;
    if (retransmission) this.retransmit(bytes, this.destination);
    else this.transmit(bytes, this.destination);
  }

  /**
   * Drops the request, and the TU's handlers unless `keepHandlers` (RFC 6026 §8.4: in
   * Accepted every 2xx still goes to the TU).
   */
  protected release(keepHandlers: boolean): void {
    this.#request = undefined;
    this.#requestBytes = undefined;
    if (!keepHandlers) this.#handlers = NO_HANDLERS;
  }

  protected override transition(to: S): void {
    super.transition(to);
    if (this.terminated) this.release(false);
  }

  // RFC 3261 §17.1.1.2 (Timer B), §17.1.2.2 (Timer F): inform the TU, Terminated.
  protected timeout(): void {
    const handlers = this.#handlers;
    this.terminate();
    handlers.onTimeout();
  }

  // RFC 3261 §17.1.4: inform the TU and go straight to Terminated.
  protected override onTransportError(error: TransactionTransportError): void {
    const handlers = this.#handlers;
    this.terminate();
    handlers.onTransportError(error);
  }
}
