// The transaction user (TU) as the transaction layer sees it (RFC 3261 §17): what
// it hears from client and server transactions and from the layer itself.

import type { SipRequest, SipResponse } from "./message.js";
import type { TransactionTransportError } from "./transaction-machine.js";
import type { InviteServerTransaction } from "./transaction-server-invite.js";
import type { NonInviteServerTransaction } from "./transaction-server-non-invite.js";
import type { Destination } from "./transport-address.js";

/** What one client transaction reports to the TU that started it. */
export interface ClientTransactionHandlers {
  /**
   * Every response the transaction passes up: provisional responses, the final
   * response, and (RFC 6026 §8.4) every further 2xx to an INVITE while Accepted.
   * Retransmitted non-2xx final responses are absorbed and never arrive here.
   */
  onResponse(response: SipResponse): void;
  /** Timer B or F fired before a final response: treat it like a 408 (RFC 3261 §8.1.3.1). */
  onTimeout(): void;
  /** RFC 3261 §17.1.4: the request could not be sent; treat it like a 503 (§8.1.3.1). */
  onTransportError(error: TransactionTransportError): void;
}

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** What server transactions report to the TU after they were handed over. */
export interface ServerTransactionReports {
  /** RFC 3261 §17.2.1: Timer H fired — the ACK for a non-2xx final response never came. */
  onServerTimeout(transaction: InviteServerTransaction): void;
  /** RFC 3261 §17.2.4: a response could not be sent. */
  onServerTransportError(transaction: ServerTransaction, error: TransactionTransportError): void;
}

/** The TU of a transaction layer, e.g. a proxy core (RFC 3261 §16). */
export interface TransactionUser extends ServerTransactionReports {
  /** A new request other than ACK and CANCEL, with the server transaction created for it. */
  onRequest(transaction: ServerTransaction): void;
  /**
   * A new CANCEL, with its own server transaction, and the INVITE server transaction
   * it cancels when one matches (RFC 3261 §9.2); the TU answers both.
   */
  onCancel(cancel: NonInviteServerTransaction, target: InviteServerTransaction | undefined): void;
  /**
   * An ACK no transaction absorbed: the ACK for a 2xx (its own transaction, RFC 3261
   * §17.1.1.3) or one matching nothing. A proxy forwards it statelessly (§16.7).
   */
  onAck(ack: SipRequest, source: Destination): void;
  /** A response matching no client transaction (RFC 3261 §17.1.3); a proxy forwards it statelessly (§16.7). */
  onStrayResponse(response: SipResponse, source: Destination): void;
}
