// The non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).

import type { SipRequest, SipResponse } from "./message.js";
import { ClientTransactionMachine } from "./transaction-client.js";
import type { TransactionContext, TransitionTable } from "./transaction-machine.js";
import { doubledInterval } from "./transaction-timers.js";
import type { ClientTransactionHandlers } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export type NonInviteClientState = "Trying" | "Proceeding" | "Completed" | "Terminated";

const TRANSITIONS: TransitionTable<NonInviteClientState> = {
  Trying: ["Proceeding", "Completed", "Terminated"],
  Proceeding: ["Completed", "Terminated"],
  Completed: ["Terminated"],
  Terminated: [],
};

export class NonInviteClientTransaction extends ClientTransactionMachine<NonInviteClientState> {
  override readonly kind = "client-non-invite";

  constructor(
    context: TransactionContext,
    key: string,
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ) {
    super(context, key, "Trying", TRANSITIONS, request, destination, handlers);
  }

  /** RFC 3261 §17.1.2.2: sends the request and arms Timers E (unreliable only) and F. */
  override start(): void {
    const { e, f } = this.context.timers;
    this.startTimer("F", f, () => this.timeout());
    if (e !== undefined) this.#armTimerE(e);
    this.sendRequest(false);
  }

  override receiveResponse(response: SipResponse): void {
    if (this.state === "Completed") {
      // RFC 3261 §17.1.2.2: retransmitted responses are absorbed in Completed.
      this.context.counters.absorbed++;
    } else if (this.state !== "Terminated") {
      if (response.status < 200) this.#provisional(response);
      else this.#completed(response);
    }
  }

  // RFC 3261 §17.1.2.2: Timer E fires → retransmit; in Trying the interval doubles up
  // to T2, in Proceeding it is T2.
  #armTimerE(interval: number): void {
    this.startTimer("E", interval, () => {
      this.sendRequest(true);
      const cap = this.context.timers.retransmitCap;
      this.#armTimerE(this.state === "Proceeding" ? cap : doubledInterval(interval, cap));
    });
  }

  #provisional(response: SipResponse): void {
    if (this.state === "Trying") this.transition("Proceeding");
    this.handlers.onResponse(response);
  }

  // RFC 3261 §17.1.2.2: a final response → Completed, to the TU, Timer K armed; what
  // is left to do is absorbing retransmissions of the response.
  #completed(response: SipResponse): void {
    this.stopTimer("E");
    this.stopTimer("F");
    this.transition("Completed");
    this.handlers.onResponse(response);
    this.release(false);
    this.lingerFor(this.context.timers.k);
  }
}
