// A small SIP user agent for the integration tests: a UDP socket on 127.0.0.1, an
// inbox of parsed messages with waits bounded by a deadline (no sleeps), request and
// response builders, and digest answers to 401/407 challenges.

import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import {
  buildDigestAuthorization,
  createAck,
  createRequest,
  createResponse,
  type Destination,
  formatNameAddr,
  getContacts,
  getRecordRoutes,
  type HeaderField,
  newBranch,
  newCallId,
  newTag,
  parseDigestChallenge,
  parseMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";

export interface TestUaOptions {
  /** Where requests go: the proxy's SIP address. */
  readonly proxy: Destination;
  readonly user: string;
  readonly domain: string;
  readonly password?: string;
}

export interface RequestOptions {
  readonly to?: string;
  readonly toTag?: string;
  readonly from?: string;
  readonly fromTag?: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly headers?: readonly HeaderField[];
  readonly body?: Buffer;
  /** Leave out Contact (it is added to INVITE and REGISTER by default). */
  readonly noContact?: boolean;
}

type Waiter = { match: (message: SipMessage) => boolean; resolve: (message: SipMessage) => void };

const DEFAULT_TIMEOUT_MS = 3000;
const REPLACED_ON_RETRY = /^(via|v|cseq|content-length|authorization|proxy-authorization)$/i;

/** True for a response to `request` (same Call-ID, CSeq number and method). */
export function answers(request: SipRequest, status?: number): (message: SipMessage) => boolean {
  return (message) =>
    message.kind === "response" &&
    message.callId === request.callId &&
    message.cseq.seq === request.cseq.seq &&
    message.cseq.method === request.cseq.method &&
    (status === undefined || message.status === status);
}

export class TestUa {
  readonly options: TestUaOptions;
  readonly #socket: Socket;
  readonly #inbox: SipMessage[] = [];
  readonly #waiters = new Set<Waiter>();
  #cseq = 1;

  private constructor(socket: Socket, options: TestUaOptions) {
    this.#socket = socket;
    this.options = options;
    socket.on("message", (data) => {
      try {
        this.#deliver(parseMessage(data));
      } catch {
        // Not SIP: nothing a test waits for.
      }
    });
  }

  static async open(options: TestUaOptions): Promise<TestUa> {
    const socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    return new TestUa(socket, options);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** This UA's address-of-record. */
  get aor(): string {
    return `sip:${this.options.user}@${this.options.domain}`;
  }

  /** Where this UA receives requests. */
  get contact(): string {
    return `sip:${this.options.user}@127.0.0.1:${this.port}`;
  }

  /** A new request from this UA: Via with a fresh branch and rport, From with a tag. */
  request(method: string, uri: string, options: RequestOptions = {}): SipRequest {
    const to = options.to ?? `<${uri}>`;
    const headers: HeaderField[] = [
      { name: "Via", value: `SIP/2.0/UDP 127.0.0.1:${this.port};branch=${newBranch()};rport` },
      {
        name: "From",
        value: `${options.from ?? `<${this.aor}>`};tag=${options.fromTag ?? newTag()}`,
      },
      { name: "To", value: options.toTag === undefined ? to : `${to};tag=${options.toTag}` },
      { name: "Call-ID", value: options.callId ?? newCallId() },
      { name: "CSeq", value: `${options.cseq ?? this.#cseq++} ${method}` },
    ];
    if (!options.noContact && (method === "INVITE" || method === "REGISTER")) {
      headers.push({ name: "Contact", value: `<${this.contact}>` });
    }
    headers.push(...(options.headers ?? []));
    return createRequest({ method, uri, headers, body: options.body });
  }

  /** The same request again with a new branch and CSeq and `extra` headers (a retry). */
  retry(request: SipRequest, extra: readonly HeaderField[]): SipRequest {
    const kept = request.headers.filter((field) => !REPLACED_ON_RETRY.test(field.name));
    const headers: HeaderField[] = [
      { name: "Via", value: `SIP/2.0/UDP 127.0.0.1:${this.port};branch=${newBranch()};rport` },
      { name: "CSeq", value: `${this.#cseq++} ${request.method}` },
      ...kept,
      ...extra,
    ];
    return createRequest({
      method: request.method,
      uri: request.uriText,
      headers,
      body: request.body,
    });
  }

  /**
   * A request inside the dialog `response` (a 2xx to `invite`) set up, from the caller's
   * side (RFC 3261 §12.2.1.1): to the remote target, along the Record-Route set, From and
   * To with their tags; ACK keeps the INVITE's CSeq number (§13.2.2.4).
   */
  inDialog(method: string, invite: SipRequest, response: SipResponse): SipRequest {
    const target = getContacts(response);
    if (target === undefined || target.star || target.contacts[0] === undefined) {
      throw new Error("the 2xx has no Contact");
    }
    const headers: HeaderField[] = [
      { name: "Via", value: `SIP/2.0/UDP 127.0.0.1:${this.port};branch=${newBranch()};rport` },
      { name: "From", value: invite.header("From") ?? "" },
      { name: "To", value: response.header("To") ?? "" },
      { name: "Call-ID", value: invite.callId },
      { name: "CSeq", value: `${method === "ACK" ? invite.cseq.seq : this.#cseq++} ${method}` },
      ...getRecordRoutes(response).map((route) => ({
        name: "Route",
        value: formatNameAddr(route),
      })),
    ];
    return createRequest({ method, uri: target.contacts[0].uriText, headers });
  }

  /** The credentials answering the first challenge of `response` (401 or 407). */
  credentials(request: SipRequest, response: SipResponse, password?: string): HeaderField {
    const proxy = response.status === 407;
    const challenge = response.header(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
    if (challenge === undefined) throw new Error(`${response.status} without a challenge`);
    const value = buildDigestAuthorization(parseDigestChallenge(challenge), {
      username: this.options.user,
      password: password ?? this.options.password ?? "",
      method: request.method,
      uri: request.uriText,
    });
    return { name: proxy ? "Proxy-Authorization" : "Authorization", value };
  }

  send(message: SipMessage | Buffer, to: Destination = this.options.proxy): void {
    const data = Buffer.isBuffer(message) ? message : message.toBuffer();
    this.#socket.send(data, to.port, to.host);
  }

  /** The next message matching `match` (earlier unmatched ones stay in the inbox). */
  receive(
    match: (message: SipMessage) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<SipMessage> {
    const index = this.#inbox.findIndex(match);
    if (index !== -1) return Promise.resolve(this.#inbox.splice(index, 1)[0] as SipMessage);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`${this.options.user}: nothing matching within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** The next request with `method` (and `callId` when given). */
  async receiveRequest(method: string, callId?: string, timeoutMs?: number): Promise<SipRequest> {
    const match = (message: SipMessage) =>
      message.kind === "request" &&
      message.method === method &&
      (callId === undefined || message.callId === callId);
    return (await this.receive(match, timeoutMs)) as SipRequest;
  }

  /** Messages received that no wait took yet. */
  get unclaimed(): readonly SipMessage[] {
    return this.#inbox;
  }

  /** The final response to `request` (provisional ones are skipped). */
  async finalResponse(request: SipRequest, timeoutMs?: number): Promise<SipResponse> {
    const isResponse = answers(request);
    const match = (message: SipMessage) =>
      isResponse(message) && (message as SipResponse).status >= 200;
    return (await this.receive(match, timeoutMs)) as SipResponse;
  }

  /**
   * Sends `request` and waits for its final response; a non-2xx final response to an
   * INVITE is acknowledged (RFC 3261 §17.1.1.3).
   */
  async transact(request: SipRequest, timeoutMs?: number): Promise<SipResponse> {
    this.send(request);
    const response = await this.finalResponse(request, timeoutMs);
    if (request.method === "INVITE" && response.status >= 300)
      this.send(createAck(request, response));
    return response;
  }

  /** Sends `request`; answers a 401/407 once with credentials. Returns both exchanges' last. */
  async transactWithAuth(
    request: SipRequest,
    password?: string,
  ): Promise<{ request: SipRequest; response: SipResponse }> {
    const first = await this.transact(request);
    if (first.status !== 401 && first.status !== 407) return { request, response: first };
    const again = this.retry(request, [this.credentials(request, first, password)]);
    return { request: again, response: await this.transact(again) };
  }

  /** REGISTER this UA's contact for its AOR, answering the challenge. */
  async register(headers: readonly HeaderField[] = []): Promise<SipResponse> {
    const request = this.request("REGISTER", `sip:${this.options.domain}`, {
      to: `<${this.aor}>`,
      headers,
    });
    return (await this.transactWithAuth(request)).response;
  }

  /**
   * Answers a received request (responses go to the proxy). A 2xx to INVITE carries
   * this UA's Contact and the request's Record-Route (RFC 3261 §12.1.1).
   */
  respond(
    request: SipRequest,
    status: number,
    toTag?: string,
    headers: HeaderField[] = [],
  ): SipResponse {
    const dialog = status >= 200 && status < 300 && request.method === "INVITE";
    const dialogHeaders = dialog
      ? [
          ...request.headerValues("Record-Route").map((value) => ({ name: "Record-Route", value })),
          { name: "Contact", value: `<${this.contact}>` },
        ]
      : [];
    const response = createResponse(request, status, undefined, {
      ...(toTag === undefined ? {} : { toTag }),
      headers: [...dialogHeaders, ...headers],
    });
    this.send(response);
    return response;
  }

  close(): void {
    for (const waiter of this.#waiters) this.#waiters.delete(waiter);
    this.#socket.close();
  }

  #deliver(message: SipMessage): void {
    for (const waiter of this.#waiters) {
      if (waiter.match(message)) {
        this.#waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    this.#inbox.push(message);
  }
}
