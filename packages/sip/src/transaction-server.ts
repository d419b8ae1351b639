// What the two server machines share (RFC 3261 §17.2): the request, where its
// responses go, and the last response sent, which answers retransmissions.

import type { SipRequest, SipResponse } from "./message.js";
import {
  type TransactionContext,
  TransactionMachine,
  type TransitionTable,
} from "./transaction-machine.js";
import type { ServerTransactionReports } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export abstract class ServerTransactionMachine<S extends string> extends TransactionMachine<S> {
  readonly request: SipRequest;
  /** Where the request came from. */
  readonly source: Destination;
  /** Where responses go (RFC 3261 §18.2.2). */
  readonly responseDestination: Destination;
  protected readonly reports: ServerTransactionReports;
  #lastResponse: SipResponse | undefined;
  #lastResponseBytes: Buffer | undefined;

  protected constructor(
    context: TransactionContext,
    initial: S,
    table: TransitionTable<S>,
    request: SipRequest,
    source: Destination,
    responseDestination: Destination,
    reports: ServerTransactionReports,
  ) {
    super(context, initial, table);
    this.request = request;
    this.source = source;
    this.responseDestination = responseDestination;
    this.reports = reports;
  }

  /** The most recent response the TU passed to this transaction. */
  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  /**
   * Passes a response from the TU to the transport. Returns false when the state
   * discards it, e.g. a second final response (RFC 3261 §17.2.2).
   */
  abstract respond(response: SipResponse): boolean;

  /** A retransmission of the request matched this transaction (RFC 3261 §17.2.3). */
  abstract receiveRetransmission(): void;

  protected sendResponse(response: SipResponse): void {
    const bytes = response.toBuffer();
    this.#lastResponse = response;
    this.#lastResponseBytes = bytes;
    this.transmit(bytes, this.responseDestination);
  }

  /** Sends the last response again, counted as a retransmission; nothing if none was sent. */
  protected resendLastResponse(): void {
    if (this.#lastResponseBytes) this.retransmit(this.#lastResponseBytes, this.responseDestination);
  }
}
