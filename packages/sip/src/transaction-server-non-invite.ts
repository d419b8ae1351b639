// The non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).

import type { SipRequest, SipResponse } from "./message.js";
import type {
  TransactionContext,
  TransactionTransportError,
  TransitionTable,
} from "./transaction-machine.js";
import { ServerTransactionMachine } from "./transaction-server.js";
import type { ServerTransactionReports } from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export type NonInviteServerState = "Trying" | "Proceeding" | "Completed" | "Terminated";

const TRANSITIONS: TransitionTable<NonInviteServerState> = {
  Trying: ["Proceeding", "Completed", "Terminated"],
  Proceeding: ["Completed", "Terminated"],
  Completed: ["Terminated"],
  Terminated: [],
};

export class NonInviteServerTransaction extends ServerTransactionMachine<NonInviteServerState> {
  override readonly kind = "server-non-invite";

  constructor(
    context: TransactionContext,
    key: string,
    request: SipRequest,
    source: Destination,
    responseDestination: Destination,
    reports: ServerTransactionReports,
  ) {
    super(context, key, "Trying", TRANSITIONS, request, source, responseDestination, reports);
  }

  override respond(response: SipResponse): boolean {
    if (this.state !== "Trying" && this.state !== "Proceeding") {
      // RFC 3261 §17.2.2: further final responses are discarded in Completed.
      return false;
    }
    if (response.status < 200) {
      // RFC 3261 §17.2.2: a provisional response moves Trying to Proceeding.
      if (this.state === "Trying") this.transition("Proceeding");
      this.sendResponse(response);
      return true;
    }
    // RFC 3261 §17.2.2: a final response → Completed, with Timer J armed (0 when reliable).
    this.transition("Completed");
    this.sendResponse(response);
    this.lingerFor(this.context.timers.j);
    return true;
  }

  override receiveRetransmission(): void {
    this.context.counters.absorbed++;
    // RFC 3261 §17.2.2: discarded in Trying; in Proceeding and Completed answered with
    // the last response sent.
    if (this.state === "Proceeding" || this.state === "Completed") this.resendLastResponse();
  }

  // RFC 3261 §17.2.4 and Figure 8: inform the TU, Terminated.
  protected override onTransportError(error: TransactionTransportError): void {
    this.terminate();
    this.reports.onServerTransportError(this, error);
  }
}
