// The callee's side of a call received by the test user agent (RFC 3261 §13.3): provisional
// and final responses copying the Record-Route (§12.1.1), the 2xx retransmitted until the
// ACK (§13.3.1.4), a CANCEL answered 200 then the INVITE 487 (§9.2), a BYE answered 200.

import {
  createResponse,
  type HeaderField,
  newTag,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import type { TestUa } from "./ua.js";
import { requestIn, sdpBody } from "./ua-messages.js";

const DEFAULT_TIMEOUT_MS = 5000;

export class IncomingCall {
  readonly ua: TestUa;
  readonly invite: SipRequest;
  readonly toTag = newTag();
  #okTimer: NodeJS.Timeout | undefined;

  constructor(ua: TestUa, invite: SipRequest) {
    this.ua = ua;
    this.invite = invite;
  }

  get callId(): string {
    return this.invite.callId;
  }

  /**
   * Sends a response to the INVITE. Provisional and 2xx responses carry the Record-Route of
   * the INVITE and a Contact (RFC 3261 §12.1.1); all carry the same To tag.
   */
  respond(status: number, reason?: string, body?: Buffer): SipResponse {
    const headers: HeaderField[] = [];
    if (status < 300) {
      for (const value of this.invite.headerValues("Record-Route")) {
        headers.push({ name: "Record-Route", value });
      }
      headers.push({ name: "Contact", value: `<${this.ua.contactUri}>` });
    }
    if (body !== undefined) headers.push({ name: "Content-Type", value: "application/sdp" });
    const response = createResponse(this.invite, status, reason, {
      toTag: this.toTag,
      headers,
      body,
    });
    this.ua.respond(this.invite, response);
    return response;
  }

  /** 180 Ringing. */
  ring(): SipResponse {
    return this.respond(180);
  }

  /**
   * 200 OK with an SDP answer, retransmitted at T1, doubling up to T2, until the ACK arrives
   * (RFC 3261 §13.3.1.4). Resolves with the ACK.
   */
  async answer(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipRequest> {
    const ok = this.respond(200, undefined, sdpBody(this.ua.address, this.ua.nextSessionId()));
    const retransmit = (intervalMs: number) => {
      this.#okTimer = setTimeout(() => {
        this.ua.respond(this.invite, ok);
        retransmit(Math.min(intervalMs * 2, this.ua.t2Ms));
      }, intervalMs);
    };
    retransmit(this.ua.t1Ms);
    try {
      return await this.ack(timeoutMs);
    } finally {
      clearTimeout(this.#okTimer);
    }
  }

  /** The ACK of this call. @throws DeadlineError after `timeoutMs`. */
  ack(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipRequest> {
    return this.ua.inbox.take(requestIn(this.callId, "ACK"), timeoutMs, `ACK for ${this.callId}`);
  }

  /**
   * Waits for a CANCEL of this INVITE, answers it 200 and the INVITE 487 (RFC 3261 §9.2), then
   * waits for the ACK of the 487. Resolves with the CANCEL.
   */
  async cancelled(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipRequest> {
    const cancel = await this.ua.inbox.take(
      requestIn(this.callId, "CANCEL"),
      timeoutMs,
      `CANCEL for ${this.callId}`,
    );
    this.ua.respond(cancel, createResponse(cancel, 200, undefined, { toTag: this.toTag }));
    this.respond(487);
    await this.ack(timeoutMs);
    return cancel;
  }

  /** Waits for the BYE of this call and answers it 200. Resolves with the BYE. */
  async bye(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipRequest> {
    const bye = await this.ua.inbox.take(
      requestIn(this.callId, "BYE"),
      timeoutMs,
      `BYE for ${this.callId}`,
    );
    this.ua.respond(bye, createResponse(bye, 200));
    return bye;
  }
}
