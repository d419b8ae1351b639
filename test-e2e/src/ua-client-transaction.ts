// The client side of one transaction of the test user agent (RFC 3261 §17.1, simplified):
// sends the request, retransmits it over UDP only while no response came (INVITE: Timer A,
// doubling from T1; others: Timer E, doubling up to T2, then every T2 after a provisional),
// collects its responses and ACKs a non-2xx final response to an INVITE (§17.1.1.3),
// retransmissions of it included.

import { createAck, type SipMessage, type SipRequest, type SipResponse } from "@switchboard/sip";
import { DeadlineError, withDeadline } from "./deadline.js";
import type { SipAddress } from "./stack.js";
import { responseTo } from "./ua-messages.js";

/** What a client transaction needs from its user agent. */
export interface TransactionHost {
  send(message: SipMessage, to: SipAddress): void;
  listen(listener: (message: SipMessage) => boolean): () => void;
  readonly t1Ms: number;
  readonly t2Ms: number;
}

export interface ClientTransactionOptions {
  /** Retransmit while unanswered (default true); false sends the request once. */
  readonly retransmit?: boolean;
}

type ResponseWaiter = {
  readonly accepts: (response: SipResponse) => boolean;
  readonly resolve: (response: SipResponse) => void;
};

export class UaClientTransaction {
  readonly request: SipRequest;
  readonly destination: SipAddress;
  /** The responses received up to the final one, in order (later retransmissions left out). */
  readonly responses: SipResponse[] = [];
  readonly #host: TransactionHost;
  readonly #waiters: ResponseWaiter[] = [];
  readonly #onResponse = new Set<(response: SipResponse) => void>();
  readonly #stopListening: () => void;
  #timer: NodeJS.Timeout | undefined;
  #final: SipResponse | undefined;

  constructor(
    host: TransactionHost,
    request: SipRequest,
    destination: SipAddress,
    options: ClientTransactionOptions = {},
  ) {
    this.#host = host;
    this.request = request;
    this.destination = destination;
    const mine = responseTo(request);
    this.#stopListening = host.listen((message) => {
      if (!mine(message)) return false;
      this.#receive(message);
      return true;
    });
    host.send(request, destination);
    if (options.retransmit !== false) this.#schedule(host.t1Ms);
  }

  #schedule(intervalMs: number): void {
    this.#timer = setTimeout(() => {
      this.#host.send(this.request, this.destination);
      const invite = this.request.method === "INVITE";
      this.#schedule(invite ? intervalMs * 2 : Math.min(intervalMs * 2, this.#host.t2Ms));
    }, intervalMs);
  }

  #receive(response: SipResponse): void {
    const invite = this.request.method === "INVITE";
    if (response.status >= 300 && invite) {
      // RFC 3261 §17.1.1.3: ACK every non-2xx final response, retransmissions included.
      this.#host.send(createAck(this.request, response), this.destination);
    }
    for (const listener of this.#onResponse) listener(response);
    if (this.#final !== undefined) return;
    if (response.status >= 200) {
      this.#final = response;
      clearTimeout(this.#timer);
    } else if (invite) {
      // RFC 3261 §17.1.1.2: a provisional response stops INVITE retransmissions.
      clearTimeout(this.#timer);
    } else if (this.#timer !== undefined) {
      // RFC 3261 §17.1.2.2: after a provisional response, retransmit every T2.
      clearTimeout(this.#timer);
      this.#schedule(this.#host.t2Ms);
    }
    this.responses.push(response);
    for (const waiter of [...this.#waiters]) {
      if (waiter.accepts(response)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(response);
      }
    }
  }

  /** Calls `listener` with every later response, retransmissions included. */
  onResponse(listener: (response: SipResponse) => void): void {
    this.#onResponse.add(listener);
  }

  /** The final response once received, else undefined. */
  get finalResponse(): SipResponse | undefined {
    return this.#final;
  }

  /**
   * The first response `accepts` takes (already received or later).
   * @throws DeadlineError after `timeoutMs`.
   */
  waitFor(accepts: (response: SipResponse) => boolean, timeoutMs: number, what: string) {
    const found = this.responses.find(accepts);
    if (found !== undefined) return Promise.resolve(found);
    let waiter: ResponseWaiter | undefined;
    const arrived = new Promise<SipResponse>((resolve) => {
      waiter = { accepts, resolve };
      this.#waiters.push(waiter);
    });
    return withDeadline(arrived, timeoutMs, `${what} to ${this.#describe()}`).catch(
      (error: unknown) => {
        if (waiter !== undefined) this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        throw error instanceof DeadlineError
          ? new DeadlineError(`${error.message}; got ${this.#got()}`)
          : error;
      },
    );
  }

  /** The final response. @throws DeadlineError after `timeoutMs`. */
  final(timeoutMs: number): Promise<SipResponse> {
    return this.waitFor((response) => response.status >= 200, timeoutMs, "final response");
  }

  /** The first response with `status`. @throws DeadlineError after `timeoutMs`. */
  status(status: number, timeoutMs: number): Promise<SipResponse> {
    return this.waitFor((response) => response.status === status, timeoutMs, `${status} response`);
  }

  /** Stops retransmitting and listening (retransmitted responses are then kept unclaimed). */
  close(): void {
    clearTimeout(this.#timer);
    this.#stopListening();
  }

  #describe(): string {
    return `${this.request.method} ${this.request.uriText} (CSeq ${this.request.cseq.seq})`;
  }

  #got(): string {
    if (this.responses.length === 0) return "no response";
    return this.responses.map((response) => `${response.status} ${response.reason}`).join(", ");
  }
}
