// The INVITE client transaction: RFC 3261 §17.1.1 with the Accepted state of
// RFC 6026 §8.4 (its new Figure 5).

import { keepBytes } from "./byte-slabs.js";
import type { SipRequest, SipResponse } from "./message.js";
import { createAck } from "./message-build.js";
import { ClientTransactionMachine } from "./transaction-client.js";
import type { TransactionContext, TransitionTable } from "./transaction-machine.js";
import { doubledInterval } from "./transaction-timers.js";
import type { ClientTransactionHandlers } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export type InviteClientState = "Calling" | "Proceeding" | "Completed" | "Accepted" | "Terminated";

const TRANSITIONS: TransitionTable<InviteClientState> = {
  Calling: ["Proceeding", "Completed", "Accepted", "Terminated"],
  Proceeding: ["Completed", "Accepted", "Terminated"],
  Completed: ["Terminated"],
  Accepted: ["Terminated"],
  Terminated: [],
};

export class InviteClientTransaction extends ClientTransactionMachine<InviteClientState> {
  override readonly kind = "client-invite";
  /** The ACK for the non-2xx final response, resent for each retransmission of it. */
  #ackBytes: Buffer | undefined;

  constructor(
    context: TransactionContext,
    key: string,
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ) {
    super(context, key, "Calling", TRANSITIONS, request, destination, handlers);
  }

  /** RFC 3261 §17.1.1.2: sends the INVITE and arms Timers A (unreliable only) and B. */
  override start(): void {
    const { a, b } = this.context.timers;
    this.startTimer("B", b, () => this.timeout());
    if (a !== undefined) this.#armTimerA(a);
    this.sendRequest(false);
  }

  override receiveResponse(response: SipResponse): void {
    const { status } = response;
    switch (this.state) {
      case "Calling":
      case "Proceeding":
        if (status < 200) this.#provisional(response);
        else if (status < 300) this.#accepted(response);
        else this.#completed(response);
        return;
      case "Completed":
        // RFC 3261 §17.1.1.2: a retransmitted final response is not passed up; the ACK
        // is sent again.
        if (status >= 300 && this.#ackBytes) {
          this.context.counters.absorbed++;
          this.retransmit(this.#ackBytes, this.destination);
        }
        return;
      case "Accepted":
        // RFC 6026 §8.4: every 2xx, retransmitted or from another fork, goes to the TU.
        if (status >= 200 && status < 300) this.handlers.onResponse(response);
        return;
      case "Terminated":
        return;
    }
  }

  // RFC 3261 §17.1.1.2: Timer A fires → retransmit, reset A with twice the interval.
  #armTimerA(interval: number): void {
    this.startTimer("A", interval, () => {
      this.sendRequest(true);
      this.#armTimerA(doubledInterval(interval));
    });
  }

  // RFC 3261 §17.1.1.2: Timer B only matters in Calling; leaving Calling disarms A and B.
  #leaveCalling(): void {
    this.stopTimer("A");
    this.stopTimer("B");
  }

  #provisional(response: SipResponse): void {
    if (this.state === "Calling") {
      this.#leaveCalling();
      this.transition("Proceeding");
    }
    this.handlers.onResponse(response);
  }

  // RFC 6026 §8.4: a 2xx moves to Accepted, goes to the TU, and arms Timer M. The
  // INVITE is not sent again; further 2xx responses still go to the TU.
  #accepted(response: SipResponse): void {
    this.#leaveCalling();
    this.transition("Accepted");
    this.release(true);
    this.lingerFor(this.context.timers.m);
    this.handlers.onResponse(response);
  }

  // RFC 3261 §17.1.1.2: 300–699 → Completed, response to the TU, ACK sent to the
  // address the INVITE went to (§17.1.1.3), Timer D armed.
  #completed(response: SipResponse): void {
    this.#leaveCalling();
    this.transition("Completed");
    const { request } = this;
    if (request === undefined) return;
    // Kept for Timer D (32 s over UDP), to answer each retransmission of the response.
    const ack = keepBytes(createAck(request, response).toBuffer());
    this.#ackBytes = ack;
    this.handlers.onResponse(response);
    if (this.terminated) return;
    this.transmit(ack, this.destination);
    this.lingerFor(this.context.timers.d);
    // What is left: the ACK for each retransmission of the response.
    this.release(false);
  }
}
