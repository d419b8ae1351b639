// The caller's side of a call placed by the test user agent: the INVITE (answering a 407
// challenge with credentials), its responses, then the dialog (RFC 3261 §12.1.2): the ACK
// for a 2xx, BYE along the route set, or a CANCEL while it rings (§9.1).

import {
  createCancel,
  createRequest,
  getContacts,
  getRecordRoutes,
  type HeaderField,
  type NameAddr,
  newBranch,
  newCallId,
  newTag,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import type { InviteOptions, TestUa } from "./ua.js";
import type { UaClientTransaction } from "./ua-client-transaction.js";
import { type DialogRouting, dialogRouting, sdpBody } from "./ua-messages.js";

const DEFAULT_TIMEOUT_MS = 5000;

/** The caller's view of an established dialog. */
interface CallerDialog {
  readonly routing: DialogRouting;
  /** The To header value of the 2xx (with the callee's tag). */
  readonly to: string;
  localCseq: number;
}

export class OutgoingCall {
  readonly ua: TestUa;
  /** The 401/407 answered with credentials, when there was one. */
  readonly challenge: SipResponse | undefined;
  /** The INVITE transaction of the call (the authenticated one after a challenge). */
  readonly transaction: UaClientTransaction;
  #dialog: CallerDialog | undefined;
  #ack: SipRequest | undefined;

  private constructor(ua: TestUa, transaction: UaClientTransaction, challenge?: SipResponse) {
    this.ua = ua;
    this.transaction = transaction;
    this.challenge = challenge;
  }

  static async place(ua: TestUa, target: string, options: InviteOptions): Promise<OutgoingCall> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const callId = newCallId();
    const fromTag = newTag();
    const body = sdpBody(ua.address, ua.nextSessionId());
    const build = (cseq: number, extra: readonly HeaderField[]) =>
      ua.createRequest("INVITE", {
        uri: target,
        from: options.from,
        callId,
        cseq,
        fromTag,
        body,
        headers: [...(options.headers ?? []), ...extra],
      });
    const first = build(1, []);
    const firstTransaction = ua.transaction(first);
    const answer = await firstTransaction.waitFor(
      (response) => response.status > 100,
      timeoutMs,
      "response beyond 100",
    );
    const challenged = answer.status === 401 || answer.status === 407;
    if (!challenged || options.answerChallenge === false) {
      return new OutgoingCall(ua, firstTransaction);
    }
    const credentials = ua.credentials(first, answer, options.password);
    return new OutgoingCall(ua, ua.transaction(build(2, [credentials])), answer);
  }

  /** The current INVITE (the authenticated one after a challenge). */
  get invite(): SipRequest {
    return this.transaction.request;
  }

  get callId(): string {
    return this.invite.callId;
  }

  /** The first response with `status` to the current INVITE. */
  status(status: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipResponse> {
    return this.transaction.status(status, timeoutMs);
  }

  /** The final response to the current INVITE. */
  final(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipResponse> {
    return this.transaction.final(timeoutMs);
  }

  /**
   * RFC 3261 §13.2.2.4: the ACK for the 2xx, sent along the route set (the 2xx's
   * Record-Route reversed) to the remote target (its Contact); sent again when the 2xx is
   * retransmitted. Returns the ACK.
   */
  async ack(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipRequest> {
    const ok = await this.transaction.waitFor(
      (response) => response.status >= 200 && response.status < 300,
      timeoutMs,
      "2xx response",
    );
    const contacts = getContacts(ok);
    const remoteTarget: NameAddr | undefined =
      contacts !== undefined && !contacts.star ? contacts.contacts[0] : undefined;
    if (remoteTarget === undefined) throw new RangeError("the 2xx has no Contact");
    const routeSet = [...getRecordRoutes(ok)].reverse();
    this.#dialog = {
      routing: dialogRouting(routeSet, remoteTarget),
      to: ok.header("To") ?? "",
      localCseq: this.invite.cseq.seq,
    };
    const ack = this.#inDialog("ACK", this.invite.cseq.seq);
    this.#ack = ack;
    this.ua.send(ack, this.#dialog.routing.destination);
    this.transaction.onResponse((response) => {
      if (response.status >= 200 && response.status < 300 && this.#dialog !== undefined) {
        this.ua.send(ack, this.#dialog.routing.destination);
      }
    });
    return ack;
  }

  /** The ACK sent for the 2xx, once `ack()` ran. */
  get sentAck(): SipRequest | undefined {
    return this.#ack;
  }

  /** The route set and remote target the dialog uses, once `ack()` ran. */
  get routing(): DialogRouting | undefined {
    return this.#dialog?.routing;
  }

  /** BYE within the dialog (RFC 3261 §15.1.1); resolves with its final response. */
  async bye(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipResponse> {
    const dialog = this.#requireDialog();
    dialog.localCseq += 1;
    const bye = this.#inDialog("BYE", dialog.localCseq);
    return this.ua.transaction(bye, dialog.routing.destination).final(timeoutMs);
  }

  /**
   * CANCEL of the current INVITE (RFC 3261 §9.1), sent where the INVITE went; resolves with
   * the final response to the CANCEL (the INVITE's own 487 comes through `final()`).
   */
  async cancel(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SipResponse> {
    const cancel = createCancel(this.invite);
    return this.ua.transaction(cancel, this.transaction.destination).final(timeoutMs);
  }

  #requireDialog(): CallerDialog {
    if (this.#dialog === undefined) throw new RangeError("no dialog: ack() a 2xx first");
    return this.#dialog;
  }

  /** A request within the dialog: same Call-ID and From, the 2xx's To, Route set, new branch. */
  #inDialog(method: "ACK" | "BYE", cseq: number): SipRequest {
    const dialog = this.#requireDialog();
    const invite = this.invite;
    const headers: HeaderField[] = [
      {
        name: "Via",
        value: `SIP/2.0/UDP ${this.ua.address.host}:${this.ua.address.port};branch=${newBranch()};rport`,
      },
      ...dialog.routing.routes.map((value) => ({ name: "Route", value })),
      { name: "From", value: invite.header("From") ?? "" },
      { name: "To", value: dialog.to },
      { name: "Call-ID", value: invite.callId },
      { name: "CSeq", value: `${cseq} ${method}` },
      { name: "Max-Forwards", value: "70" },
    ];
    return createRequest({ method, uri: dialog.routing.requestUri, headers });
  }
}
