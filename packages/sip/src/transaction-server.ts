// What the two server machines share (RFC 3261 §17.2): the request, where its
// responses go, and the bytes of the last response sent, which answer retransmissions.
// Once the final response is out, the transaction keeps only those bytes: a completed
// transaction lives on for Timer J or H (32 s over UDP) just to absorb retransmissions,
// and at thousands of requests per second what each one holds is what the process holds.

import { keepBytes } from "./byte-slabs.js";
import type { SipRequest, SipResponse } from "./message.js";
import {
  type TransactionContext,
  TransactionMachine,
  type TransitionTable,
} from "./transaction-machine.js";
import type { ServerTransactionReports } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export abstract class ServerTransactionMachine<S extends string> extends TransactionMachine<S> {
  /** Where the request came from. */
  readonly source: Destination;
  /** Where responses go (RFC 3261 §18.2.2). */
  readonly responseDestination: Destination;
  protected readonly reports: ServerTransactionReports;
  #request: SipRequest | undefined;
  #lastStatus: number | undefined;
  #lastResponseBytes: Buffer | undefined;

  protected constructor(
    context: TransactionContext,
    key: string,
    initial: S,
    table: TransitionTable<S>,
    request: SipRequest,
    source: Destination,
    responseDestination: Destination,
    reports: ServerTransactionReports,
  ) {
    super(context, key, initial, table);
    this.#request = request;
    this.source = source;
    this.responseDestination = responseDestination;
    this.reports = reports;
  }

  /**
   * The request, while the TU can still answer it: undefined once a final response was
   * sent, when the transaction only absorbs retransmissions (RFC 3261 §17.2.1, §17.2.2).
   */
  get request(): SipRequest | undefined {
    return this.#request;
  }

  /** The status of the most recent response the TU passed to this transaction. */
  get lastStatus(): number | undefined {
    return this.#lastStatus;
  }

  /**
   * Passes a response from the TU to the transport. Returns false when the state
   * discards it, e.g. a second final response (RFC 3261 §17.2.2).
   */
  abstract respond(response: SipResponse): boolean;

  /**
   * RFC 3261 §8.2.7: answers as a stateless UAS — the final `response` is sent once and the
   * transaction ends at once, keeping nothing. A retransmission of the request is then a new
   * request, answered anew, and an ACK matches nothing (a stateless UAS ignores ACKs). Meant
   * for challenges to unauthenticated requests, so that a flood of them leaves no state
   * behind (§26.1.5); give the response a To tag derived from the request
   * ({@link statelessTag}), so that every retransmission is answered with the same one.
   * A transaction that has sent a provisional response answers through its state machine
   * instead (a stateless UAS sends none, and the client may no longer retransmit).
   * Returns false when the transaction has sent its final response already.
   * @throws RangeError for a provisional response (a stateless UAS sends none).
   */
  respondStatelessly(response: SipResponse): boolean {
    if (response.status < 200) throw new RangeError("a stateless answer is a final response");
    if (this.#lastStatus !== undefined) return this.respond(response);
    if (this.#request === undefined || this.terminated) return false;
    this.#lastStatus = response.status;
    this.#request = undefined;
    this.#lastResponseBytes = undefined;
    this.transmit(response.toBuffer(), this.responseDestination);
    this.terminate();
    return true;
  }

  /** A retransmission of the request matched this transaction (RFC 3261 §17.2.3). */
  abstract receiveRetransmission(): void;

  /**
   * Sends `response`. Its bytes are kept for resendLastResponse unless `resent` is
   * false (RFC 6026 §8.7: in Accepted the TU, not the transaction, resends a 2xx). A
   * final response releases the request.
   */
  protected sendResponse(response: SipResponse, resent = true): void {
    const bytes = response.toBuffer();
    const final = response.status >= 200;
    this.#lastStatus = response.status;
    // A final response is kept as long as the transaction lingers (32 s over UDP).
    this.#lastResponseBytes = !resent ? undefined : final ? keepBytes(bytes) : bytes;
    if (final) this.#request = undefined;
    this.transmit(bytes, this.responseDestination);
  }

  /** Sends the last response again, counted as a retransmission; nothing if none was kept. */
  protected resendLastResponse(): void {
    if (this.#lastResponseBytes) this.retransmit(this.#lastResponseBytes, this.responseDestination);
  }
}
