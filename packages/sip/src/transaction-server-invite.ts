// The INVITE server transaction: RFC 3261 §17.2.1 with the Accepted state of
// RFC 6026 §7.1 and §8.7 (its new Figure 7).

import type { SipRequest, SipResponse } from "./message.js";
import { createResponse } from "./message-build.js";
import { ackMatchesResponse, hasMagicCookie } from "./transaction-key.js";
import type {
  TransactionContext,
  TransactionTransportError,
  TransitionTable,
} from "./transaction-machine.js";
import { ServerTransactionMachine } from "./transaction-server.js";
import { doubledInterval } from "./transaction-timers.js";
import type { ServerTransactionReports } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export type InviteServerState =
  | "Proceeding"
  | "Completed"
  | "Confirmed"
  | "Accepted"
  | "Terminated";

const TRANSITIONS: TransitionTable<InviteServerState> = {
  Proceeding: ["Completed", "Accepted", "Terminated"],
  Completed: ["Confirmed", "Terminated"],
  Confirmed: ["Terminated"],
  Accepted: ["Terminated"],
  Terminated: [],
};

/** What became of an ACK matched to an INVITE server transaction. */
export type AckDisposition =
  /** The transaction consumed it (RFC 3261 §17.2.1). */
  | "absorbed"
  /** RFC 6026 §7.1: an ACK matched in Accepted goes to the TU. */
  | "to-tu";

export class InviteServerTransaction extends ServerTransactionMachine<InviteServerState> {
  override readonly kind = "server-invite";
  /** RFC 2543 senders (no magic cookie): an ACK is matched by the To tag of the response. */
  readonly #matchesByTag: boolean;
  /** The last response sent, kept for RFC 2543 senders only. */
  #lastResponse: SipResponse | undefined;

  constructor(
    context: TransactionContext,
    key: string,
    request: SipRequest,
    source: Destination,
    responseDestination: Destination,
    reports: ServerTransactionReports,
  ) {
    super(context, key, "Proceeding", TRANSITIONS, request, source, responseDestination, reports);
    this.#matchesByTag = !hasMagicCookie(request.vias[0]);
  }

  /**
   * RFC 3261 §17.2.1: the server transaction sends 100 Trying unless the TU answers
   * within 200 ms. Arms that fallback: after `ms` (0: now) a 100 Trying goes out if
   * nothing has been sent yet.
   */
  sendTryingAfter(ms: number): void {
    this.startTimer("Trying", ms, () => this.sendTrying());
  }

  /** Sends 100 Trying (RFC 3261 §8.2.6.1) unless a response was already sent. */
  sendTrying(): boolean {
    const { request } = this;
    if (this.state !== "Proceeding" || this.lastStatus !== undefined || !request) return false;
    return this.respond(createResponse(request, 100, "Trying"));
  }

  /**
   * RFC 3261 §17.2.3: an ACK found under this transaction's key is for it — with the
   * magic cookie by the key alone, under the RFC 2543 fallback when its To tag is that
   * of the response sent.
   */
  matchesAck(ack: SipRequest): boolean {
    return ackMatchesResponse(ack, this.#lastResponse);
  }

  override respond(response: SipResponse): boolean {
    const { status } = response;
    const isSuccess = status >= 200 && status < 300;
    // RFC 6026 §8.7: in Accepted the TU's 2xx retransmissions pass through; in every
    // other state but Proceeding a response from the TU is discarded.
    if (this.state === "Accepted" && isSuccess) {
      this.sendResponse(response, false);
      return true;
    }
    if (this.state !== "Proceeding") return false;
    this.stopTimer("Trying");
    if (status < 200) {
      // RFC 3261 §17.2.1: provisional responses are sent, the state stays Proceeding.
      this.sendResponse(response);
    } else if (isSuccess) {
      // RFC 6026 §8.7: a 2xx moves to Accepted and arms Timer L; the transaction
      // never retransmits it (the TU does, RFC 3261 §13.3.1.4).
      this.transition("Accepted");
      this.lingerFor(this.context.timers.l);
      this.sendResponse(response, false);
    } else {
      // RFC 3261 §17.2.1: 300–699 → Completed; Timer G (unreliable only) and Timer H.
      this.transition("Completed");
      const { g, h } = this.context.timers;
      if (g !== undefined) this.#armTimerG(g);
      this.startTimer("H", h, () => this.#ackTimeout());
      this.sendResponse(response);
    }
    return true;
  }

  protected override sendResponse(response: SipResponse, resent?: boolean): void {
    if (this.#matchesByTag) this.#lastResponse = response;
    super.sendResponse(response, resent);
  }

  override receiveRetransmission(): void {
    this.context.counters.absorbed++;
    // RFC 3261 §17.2.1: in Proceeding the last provisional response is resent, in
    // Completed the final one. RFC 6026 §7.1: absorbed in Accepted; Confirmed
    // absorbs everything.
    if (this.state === "Proceeding" || this.state === "Completed") this.resendLastResponse();
  }

  /** An ACK matched to this transaction (RFC 3261 §17.2.3). */
  receiveAck(): AckDisposition {
    switch (this.state) {
      case "Completed": {
        // RFC 3261 §17.2.1: ACK → Confirmed; retransmissions of the response stop and
        // Timer I absorbs ACK retransmissions (0 when reliable).
        this.stopTimer("G");
        this.stopTimer("H");
        this.transition("Confirmed");
        this.lingerFor(this.context.timers.i);
        return "absorbed";
      }
      case "Confirmed":
        this.context.counters.absorbed++;
        return "absorbed";
      case "Accepted":
        return "to-tu";
      default:
        // Before any final response an ACK belongs to no exchange of this transaction.
        return "absorbed";
    }
  }

  // RFC 3261 §17.2.1: Timer G fires → resend the response, reset G to min(2·G, T2).
  #armTimerG(interval: number): void {
    this.startTimer("G", interval, () => {
      this.resendLastResponse();
      this.#armTimerG(doubledInterval(interval, this.context.timers.retransmitCap));
    });
  }

  // RFC 3261 §17.2.1: Timer H fires → the ACK never came: Terminated, and the TU learns
  // of the failure.
  #ackTimeout(): void {
    this.terminate();
    this.reports.onServerTimeout(this);
  }

  // RFC 6026 §8.8: a transport error is reported to the TU and the state
  // stays; Timers H and L still bound the transaction's life.
  protected override onTransportError(error: TransactionTransportError): void {
    this.reports.onServerTransportError(this, error);
  }
}
