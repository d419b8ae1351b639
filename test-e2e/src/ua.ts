// A small SIP user agent for the end-to-end tests, over node:dgram on 127.0.0.1, built on
// @switchboard/sip: registers (answering 401 challenges), places calls (answering 407),
// answers calls as a callee, sends ACK/BYE/CANCEL along the route set, and records every
// message it receives. Retransmitted requests are answered with the last response instead
// of being delivered twice (RFC 3261 §17.2).

import { createSocket, type Socket } from "node:dgram";
import {
  buildDigestAuthorization,
  createRequest,
  type HeaderField,
  newBranch,
  newCallId,
  newTag,
  parseDigestChallenge,
  parseMessage,
  responseDestination,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import { LOOPBACK } from "./free-port.js";
import type { SipAddress } from "./stack.js";
import {
  type ClientTransactionOptions,
  type TransactionHost,
  UaClientTransaction,
} from "./ua-client-transaction.js";
import { Inbox, type InboxListener } from "./ua-inbox.js";
import { IncomingCall } from "./ua-incoming-call.js";
import { isRequest } from "./ua-messages.js";
import { OutgoingCall } from "./ua-outgoing-call.js";

export interface UaOptions {
  /** User part of the AOR, also the digest username. */
  readonly user: string;
  readonly password?: string;
  /** Domain of the AOR (the realm the proxy challenges with). */
  readonly domain: string;
  /** Where requests go: the edge proxy. */
  readonly proxy: SipAddress;
  /** Local UDP port; default: any free one. */
  readonly port?: number;
  /** RFC 3261 timers for retransmissions; default 500 / 4000 ms. */
  readonly t1Ms?: number;
  readonly t2Ms?: number;
}

export interface RequestOptions {
  /** Request-URI. */
  readonly uri: string;
  /** From URI; default the UA's AOR. */
  readonly from?: string;
  /** To header value; default `<Request-URI>`. */
  readonly to?: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly fromTag?: string;
  readonly headers?: readonly HeaderField[];
  readonly body?: Buffer;
  readonly contentType?: string;
  /** Contact URI of an INVITE or REGISTER; default the UA's own address. */
  readonly contact?: string;
}

export interface RegisterOptions {
  /** Expires header; default 3600. */
  readonly expires?: number;
  /** Contact URI; default the UA's own address. */
  readonly contact?: string;
  /** User of the To header (default: the UA's user). */
  readonly toUser?: string;
  /** Password answering the challenge (default: the UA's). */
  readonly password?: string;
  /** Answer a 401 with credentials (default true). */
  readonly answerChallenge?: boolean;
  /** Deadline for each final response; default 5000 ms. */
  readonly timeoutMs?: number;
}

export interface RegisterOutcome {
  /** The 401 answered, when there was one. */
  readonly challenge: SipResponse | undefined;
  /** The final response to the last REGISTER sent. */
  readonly response: SipResponse;
}

export interface InviteOptions {
  /** Answer a 401/407 with credentials (default true). */
  readonly answerChallenge?: boolean;
  readonly password?: string;
  readonly from?: string;
  readonly headers?: readonly HeaderField[];
  /** Deadline for the challenge; default 5000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Header carrying credentials for a challenge: 401 → Authorization, 407 → Proxy-Authorization. */
function credentialsHeader(challenge: SipResponse): { challengeName: string; name: string } {
  return challenge.status === 407
    ? { challengeName: "Proxy-Authenticate", name: "Proxy-Authorization" }
    : { challengeName: "WWW-Authenticate", name: "Authorization" };
}

export class TestUa implements TransactionHost {
  readonly user: string;
  readonly domain: string;
  readonly proxy: SipAddress;
  readonly address: SipAddress;
  readonly t1Ms: number;
  readonly t2Ms: number;
  readonly inbox = new Inbox();
  /** Datagrams that did not parse as SIP. */
  readonly undecodable: Buffer[] = [];
  readonly #password: string;
  readonly #socket: Socket;
  readonly #transactions = new Set<UaClientTransaction>();
  /** Requests received (by branch and method) with the last response sent to each. */
  readonly #served = new Map<string, SipResponse | undefined>();
  readonly #registrationCallId = newCallId();
  #registrationCseq = 0;
  #sessionIds = 1;

  private constructor(options: UaOptions, socket: Socket) {
    this.user = options.user;
    this.domain = options.domain;
    this.proxy = options.proxy;
    this.#password = options.password ?? "";
    this.t1Ms = options.t1Ms ?? 500;
    this.t2Ms = options.t2Ms ?? 4000;
    this.#socket = socket;
    this.address = { host: LOOPBACK, port: socket.address().port };
    socket.on("message", (data) => this.#receive(data));
  }

  /** Binds a UDP socket on 127.0.0.1. */
  static async open(options: UaOptions): Promise<TestUa> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(options.port ?? 0, LOOPBACK, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    return new TestUa(options, socket);
  }

  /** `sip:<user>@<domain>`. */
  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  /** The UA's own contact URI: `sip:<user>@127.0.0.1:<port>`. */
  get contactUri(): string {
    return `sip:${this.user}@${this.address.host}:${this.address.port}`;
  }

  /** A fresh number for an SDP origin line. */
  nextSessionId(): number {
    return this.#sessionIds++;
  }

  #receive(data: Buffer): void {
    let message: SipMessage;
    try {
      message = parseMessage(data);
    } catch {
      this.undecodable.push(data);
      return;
    }
    if (isRequest(message) && message.method !== "ACK") {
      const key = `${message.vias[0]?.branch ?? ""} ${message.method}`;
      if (this.#served.has(key)) {
        // RFC 3261 §17.2.1/§17.2.2: a retransmitted request gets the last response again.
        const last = this.#served.get(key);
        if (last !== undefined) this.#sendResponse(message, last);
        return;
      }
      this.#served.set(key, undefined);
    }
    this.inbox.deliver(message);
  }

  send(message: SipMessage, to: SipAddress = this.proxy): void {
    this.sendRaw(message.toBuffer(), to);
  }

  /** Sends bytes as they are (garbage, truncated or oversized datagrams). */
  sendRaw(data: Buffer | string, to: SipAddress = this.proxy): void {
    this.#socket.send(
      typeof data === "string" ? Buffer.from(data, "latin1") : data,
      to.port,
      to.host,
    );
  }

  listen(listener: InboxListener): () => void {
    return this.inbox.listen(listener);
  }

  #sendResponse(request: SipRequest, response: SipResponse): void {
    const via = request.vias[0];
    const destination = via === undefined ? undefined : responseDestination(via);
    if (destination === undefined) throw new RangeError("request without a usable Via");
    this.send(response, destination);
  }

  /** Sends `response` to `request` per its top Via and remembers it for retransmissions. */
  respond(request: SipRequest, response: SipResponse): void {
    this.#served.set(`${request.vias[0]?.branch ?? ""} ${request.method}`, response);
    this.#sendResponse(request, response);
  }

  /**
   * A request from this UA: Via with a new branch and rport, From with a tag, To, Call-ID,
   * CSeq, Max-Forwards 70, Contact for INVITE and REGISTER, then `headers`.
   */
  createRequest(method: string, options: RequestOptions): SipRequest {
    const from = options.from ?? this.aor;
    const headers: HeaderField[] = [
      {
        name: "Via",
        value: `SIP/2.0/UDP ${this.address.host}:${this.address.port};branch=${newBranch()};rport`,
      },
      { name: "From", value: `<${from}>;tag=${options.fromTag ?? newTag()}` },
      { name: "To", value: options.to ?? `<${options.uri}>` },
      { name: "Call-ID", value: options.callId ?? newCallId() },
      { name: "CSeq", value: `${options.cseq ?? 1} ${method}` },
    ];
    if (method === "INVITE" || method === "REGISTER") {
      headers.push({ name: "Contact", value: `<${options.contact ?? this.contactUri}>` });
    }
    headers.push({ name: "User-Agent", value: "switchboard-e2e-ua" });
    headers.push(...(options.headers ?? []));
    if (options.body !== undefined) {
      headers.push({ name: "Content-Type", value: options.contentType ?? "application/sdp" });
    }
    return createRequest({ method, uri: options.uri, headers, body: options.body });
  }

  /** Starts a client transaction for `request` (sent to the proxy unless `to` says otherwise). */
  transaction(
    request: SipRequest,
    to: SipAddress = this.proxy,
    options: ClientTransactionOptions = {},
  ): UaClientTransaction {
    const transaction = new UaClientTransaction(this, request, to, options);
    this.#transactions.add(transaction);
    return transaction;
  }

  /**
   * The credentials answering the first usable challenge of a 401/407 for `request`.
   * @throws RangeError when the response carries no Digest challenge this UA can answer.
   */
  credentials(request: SipRequest, challenge: SipResponse, password = this.#password): HeaderField {
    const { challengeName, name } = credentialsHeader(challenge);
    for (const value of challenge.headerValues(challengeName)) {
      let parsed: ReturnType<typeof parseDigestChallenge>;
      try {
        parsed = parseDigestChallenge(value);
      } catch {
        continue;
      }
      const authorization = buildDigestAuthorization(parsed, {
        username: this.user,
        password,
        method: request.method,
        uri: request.uriText,
        body: request.body,
      });
      return { name, value: authorization };
    }
    throw new RangeError(`${challenge.status} without a usable ${challengeName}`);
  }

  /**
   * REGISTER for the UA's AOR (RFC 3261 §10.2): one Call-ID for all registrations of this
   * UA, CSeq increasing; a 401 is answered with credentials once.
   */
  async register(options: RegisterOptions = {}): Promise<RegisterOutcome> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const toUser = options.toUser ?? this.user;
    const fromTag = newTag();
    const build = (extra: readonly HeaderField[]) =>
      this.createRequest("REGISTER", {
        uri: `sip:${this.domain}`,
        to: `<sip:${toUser}@${this.domain}>`,
        callId: this.#registrationCallId,
        cseq: ++this.#registrationCseq,
        fromTag,
        contact: options.contact,
        headers: [{ name: "Expires", value: String(options.expires ?? 3600) }, ...extra],
      });
    const first = build([]);
    const response = await this.transaction(first).final(timeoutMs);
    if (response.status !== 401 || options.answerChallenge === false) {
      return { challenge: undefined, response };
    }
    const second = build([this.credentials(first, response, options.password)]);
    return { challenge: response, response: await this.transaction(second).final(timeoutMs) };
  }

  /**
   * Places a call to `target` (a SIP URI). The INVITE is answered by the proxy with 407 (or a
   * 401): the UA ACKs it and sends the INVITE again with credentials (CSeq + 1), unless
   * `answerChallenge` is false. Resolves once the first INVITE got a non-100 response.
   */
  async invite(target: string, options: InviteOptions = {}): Promise<OutgoingCall> {
    return OutgoingCall.place(this, target, options);
  }

  /**
   * The next INVITE received (retransmissions excluded), as the callee's side of the call.
   * @throws DeadlineError after `timeoutMs`.
   */
  async incomingCall(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IncomingCall> {
    const invite = await this.inbox.take(
      (message): message is SipRequest => isRequest(message) && message.method === "INVITE",
      timeoutMs,
      `INVITE at ${this.user}`,
    );
    return new IncomingCall(this, invite);
  }

  /** An OPTIONS request to `uri` (default: the proxy itself) and its final response. */
  async options(uri = `sip:${this.proxy.host}:${this.proxy.port}`): Promise<SipResponse> {
    const request = this.createRequest("OPTIONS", {
      uri,
      headers: [{ name: "Accept", value: "application/sdp" }],
    });
    return this.transaction(request).final(DEFAULT_TIMEOUT_MS);
  }

  /** Stops every transaction and closes the socket. */
  async close(): Promise<void> {
    for (const transaction of this.#transactions) transaction.close();
    await new Promise<void>((resolve) => this.#socket.close(resolve));
  }
}
