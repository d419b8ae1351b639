// What the two client machines share (RFC 3261 §17.1): the request, where it goes,
// the TU's handlers, and how a timeout or a transport error ends the transaction.

import type { SipRequest, SipResponse } from "./message.js";
import {
  type TransactionContext,
  TransactionMachine,
  type TransactionTransportError,
  type TransitionTable,
} from "./transaction-machine.js";
import type { ClientTransactionHandlers } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

/** What both client machines share: the request, where it goes, and the TU's handlers. */
export abstract class ClientTransactionMachine<S extends string> extends TransactionMachine<S> {
  readonly request: SipRequest;
  readonly destination: Destination;
  protected readonly handlers: ClientTransactionHandlers;
  protected readonly requestBytes: Buffer;

  protected constructor(
    context: TransactionContext,
    initial: S,
    table: TransitionTable<S>,
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ) {
    super(context, initial, table);
    this.request = request;
    this.destination = destination;
    this.handlers = handlers;
    this.requestBytes = request.toBuffer();
  }

  /** Sends the request and arms the transaction's timers. */
  abstract start(): void;

  /** A response matched to this transaction (RFC 3261 §17.1.3). */
  abstract receiveResponse(response: SipResponse): void;

  // RFC 3261 §17.1.1.2 (Timer B), §17.1.2.2 (Timer F): inform the TU, Terminated.
  protected timeout(): void {
    this.terminate();
    this.handlers.onTimeout();
  }

  // RFC 3261 §17.1.4: inform the TU and go straight to Terminated.
  protected override onTransportError(error: TransactionTransportError): void {
    this.terminate();
    this.handlers.onTransportError(error);
  }
}
