// Shared by the transaction tests: real messages parsed from text, a transport
// that records what it is asked to send, and a transaction user that records what
// it hears. Not part of the package's API.

import { type Clock, ManualClock } from "./clock.js";
import type { SipMessage, SipRequest, SipResponse } from "./message.js";
import { newBranch } from "./message-build.js";
import { parseMessage } from "./parse-message.js";
import { TransactionLayer, type TransactionLayerOptions } from "./transaction-layer.js";
import { LingerQueue } from "./transaction-linger.js";
import type {
  TransactionContext,
  TransactionTransportError,
  TransportSender,
} from "./transaction-machine.js";
import type { InviteServerTransaction } from "./transaction-server-invite.js";
import type { NonInviteServerTransaction } from "./transaction-server-non-invite.js";
import { DEFAULT_TIMER_SETTINGS, transactionTimers } from "./transaction-timers.js";
import type {
  ClientTransactionHandlers,
  ServerTransaction,
  TransactionUser,
} from "./transaction-user.js";
import type { Destination } from "./transport-address.js";

export const PHONE: Destination = { transport: "UDP", host: "192.0.2.10", port: 5060 };
export const GATEWAY: Destination = { transport: "UDP", host: "198.51.100.7", port: 5060 };

export interface TestRequestSpec {
  readonly method?: string;
  /** The top Via branch; null leaves the parameter out (an RFC 2543 sender). */
  readonly branch?: string | null;
  /** The top Via transport: UDP, TCP, TLS, … */
  readonly transport?: string;
  /** The top Via sent-by, "host" or "host:port". */
  readonly sentBy?: string;
  /** More top Via parameters, e.g. ";received=203.0.113.9;rport=40000". */
  readonly viaParams?: string;
  readonly uri?: string;
  readonly toTag?: string;
  readonly fromTag?: string;
  readonly callId?: string;
  readonly cseq?: number;
}

function parse(lines: readonly string[]): SipMessage {
  return parseMessage(Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8"));
}

/** A request parsed from text, with a fresh magic-cookie branch unless told otherwise. */
export function request(spec: TestRequestSpec = {}): SipRequest {
  const method = spec.method ?? "INVITE";
  const branch = spec.branch === undefined ? newBranch() : spec.branch;
  const via = `SIP/2.0/${spec.transport ?? "UDP"} ${spec.sentBy ?? "192.0.2.10:5060"}`;
  const message = parse([
    `${method} ${spec.uri ?? "sip:bob@example.com"} SIP/2.0`,
    `Via: ${via}${branch === null ? "" : `;branch=${branch}`}${spec.viaParams ?? ""}`,
    "Max-Forwards: 70",
    `To: Bob <sip:bob@example.com>${spec.toTag ? `;tag=${spec.toTag}` : ""}`,
    `From: Alice <sip:alice@example.com>;tag=${spec.fromTag ?? "1928301774"}`,
    `Call-ID: ${spec.callId ?? "a84b4c76e66710@pc33.example.com"}`,
    `CSeq: ${spec.cseq ?? 314159} ${method}`,
    "Contact: <sip:alice@192.0.2.10>",
    "Content-Length: 0",
  ]);
  if (message.kind !== "request") throw new Error("expected a request");
  return message;
}

/** A response to `to`, parsed from text: its Vias, From, Call-ID and CSeq, To with `toTag`. */
export function responseTo(to: SipRequest, status: number, toTag?: string): SipResponse {
  const toValue = to.header("To") ?? "";
  const message = parse([
    `SIP/2.0 ${status} Status ${status}`,
    ...to.headerValues("Via").map((via) => `Via: ${via}`),
    `To: ${toTag && !toValue.includes(";tag=") ? `${toValue};tag=${toTag}` : toValue}`,
    `From: ${to.header("From")}`,
    `Call-ID: ${to.callId}`,
    `CSeq: ${to.cseq.seq} ${to.cseq.method}`,
    "Content-Length: 0",
  ]);
  if (message.kind !== "response") throw new Error("expected a response");
  return message;
}

export interface SentMessage {
  /** The clock's time of the send. */
  readonly at: number;
  readonly text: string;
  readonly startLine: string;
  readonly destination: Destination;
}

/** A TransportSender that records every send, and fails them on demand. */
export class RecordingTransport implements TransportSender {
  readonly sent: SentMessage[] = [];
  /** While set, every send throws this. */
  throwOnSend: Error | undefined;
  /** While set, every send returns a promise rejected with this. */
  rejectOnSend: Error | undefined;

  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  send(data: Buffer, destination: Destination): void | Promise<void> {
    if (this.throwOnSend) throw this.throwOnSend;
    if (this.rejectOnSend) return Promise.reject(this.rejectOnSend);
    const text = data.toString("utf8");
    this.sent.push({
      at: this.#clock.now(),
      text,
      startLine: text.slice(0, text.indexOf("\r\n")),
      destination,
    });
  }

  get startLines(): string[] {
    return this.sent.map((message) => message.startLine);
  }

  /** Start lines sent since the last call. */
  drain(): string[] {
    return this.sent.splice(0).map((message) => message.startLine);
  }

  /** When each message was sent. */
  get times(): number[] {
    return this.sent.map((message) => message.at);
  }
}

/** A TransactionUser that records what it hears. */
export class RecordingUser implements TransactionUser {
  readonly requests: ServerTransaction[] = [];
  readonly cancels: {
    cancel: NonInviteServerTransaction;
    target: InviteServerTransaction | undefined;
  }[] = [];
  readonly acks: SipRequest[] = [];
  readonly strayResponses: SipResponse[] = [];
  readonly timeouts: InviteServerTransaction[] = [];
  readonly transportErrors: { transaction: ServerTransaction; error: TransactionTransportError }[] =
    [];

  onRequest(transaction: ServerTransaction): void {
    this.requests.push(transaction);
  }
  onCancel(cancel: NonInviteServerTransaction, target: InviteServerTransaction | undefined): void {
    this.cancels.push({ cancel, target });
  }
  onAck(ack: SipRequest): void {
    this.acks.push(ack);
  }
  onStrayResponse(response: SipResponse): void {
    this.strayResponses.push(response);
  }
  onServerTimeout(transaction: InviteServerTransaction): void {
    this.timeouts.push(transaction);
  }
  onServerTransportError(transaction: ServerTransaction, error: TransactionTransportError): void {
    this.transportErrors.push({ transaction, error });
  }
}

/** Client handlers that record what the transaction passes up. */
export class RecordingHandlers implements ClientTransactionHandlers {
  readonly responses: SipResponse[] = [];
  timeouts = 0;
  readonly transportErrors: TransactionTransportError[] = [];

  get statuses(): number[] {
    return this.responses.map((response) => response.status);
  }
  onResponse(response: SipResponse): void {
    this.responses.push(response);
  }
  onTimeout(): void {
    this.timeouts++;
  }
  onTransportError(error: TransactionTransportError): void {
    this.transportErrors.push(error);
  }
}

/** A context for driving one state machine directly, outside any layer. */
export function probeContext(): TransactionContext {
  const clock = new ManualClock();
  return {
    clock,
    transport: new RecordingTransport(clock),
    timers: transactionTimers(DEFAULT_TIMER_SETTINGS, false),
    counters: { sent: 0, absorbed: 0 },
    linger: new LingerQueue(clock),
    onTerminated: () => {},
  };
}

/** A layer on a ManualClock and a RecordingTransport, with a RecordingUser. */
export function testLayer(
  options: Partial<Pick<TransactionLayerOptions, "timers" | "tryingAfterMs">> = {},
) {
  const clock = new ManualClock();
  const transport = new RecordingTransport(clock);
  const user = new RecordingUser();
  const layer = new TransactionLayer({ clock, transport, user, ...options });
  return { clock, transport, user, layer };
}
