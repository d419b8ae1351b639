// Where datagrams enter: parse, stamp the source on the top Via of a request (RFC 3261
// §18.2.1, RFC 3581 §4), and hand the message to the transaction layer. A datagram that
// is not SIP gets 400 when an answer can be routed, else it is dropped and counted;
// nothing a datagram holds can throw out of here.

import type { Logger } from "@switchboard/kit";
import {
  type Destination,
  editMessage,
  MAX_UDP_PAYLOAD,
  parseMessage,
  type RequestDisposition,
  type ResponseDisposition,
  responseDestination,
  responseForParseError,
  SipParseError,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import type { EdgeMetrics } from "./metrics.js";

/** The transaction layer as the endpoint uses it. */
export interface MessageSink {
  handleRequest(request: SipRequest, source: Destination): RequestDisposition;
  handleResponse(response: SipResponse, source: Destination): ResponseDisposition;
}

export interface SipEndpointDeps {
  readonly transactions: MessageSink;
  /** Sends an answer outside any transaction (to a request that did not parse). */
  readonly send: (data: Buffer, destination: Destination) => void;
  readonly metrics: EdgeMetrics;
  readonly logger: Logger;
}

/**
 * Every datagram is parsed in full, up to the largest UDP payload: the size limit of the
 * seed (`msg:len > max_len` → 513) is a step of the route script, which can answer.
 */
const PARSE_OPTIONS = { maxMessageSize: MAX_UDP_PAYLOAD };

/** The top Via with `received`/`rport` from the packet's source. */
function stampSource<M extends SipRequest | SipResponse>(message: M, source: Destination): M {
  return editMessage(message).setViaReceived(source.host, source.port).toMessage();
}

/**
 * A NAT keepalive: phones keep their binding open with datagrams of CRLF (RFC 5626 §4.4.1
 * describes it for streams; over UDP many phones send it anyway), some with blanks or NULs.
 * There is nothing to parse or answer. A SIP message fails the test at its first byte.
 */
function isKeepalive(data: Buffer): boolean {
  for (const byte of data) {
    if (byte !== 0x0d && byte !== 0x0a && byte !== 0x20 && byte !== 0x09 && byte !== 0x00) {
      return false;
    }
  }
  return true;
}

export class SipEndpoint {
  readonly #deps: SipEndpointDeps;
  /** Datagram sizes of the requests handed on (the seed's `msg:len`), read by the script. */
  readonly #sizes = new WeakMap<SipRequest, number>();

  constructor(deps: SipEndpointDeps) {
    this.#deps = deps;
  }

  /** The size in bytes of the datagram `request` came in, if it came through here. */
  sizeOf(request: SipRequest): number | undefined {
    return this.#sizes.get(request);
  }

  /** One datagram from the transport. Never throws. */
  receive(data: Buffer, source: Destination): void {
    if (isKeepalive(data)) {
      this.#deps.metrics.dropped("keepalive");
      return;
    }
    try {
      this.#dispatch(data, source);
    } catch (error) {
      try {
        if (!(error instanceof SipParseError)) throw error;
        this.#badMessage(error, source);
      } catch (failure) {
        this.#deps.metrics.dropped("internal");
        this.#deps.logger.error(
          { err: failure, from: `${source.host}:${source.port}` },
          "datagram failed",
        );
      }
    }
  }

  #dispatch(data: Buffer, source: Destination): void {
    const message = parseMessage(data, PARSE_OPTIONS);
    const { transactions, metrics } = this.#deps;
    if (message.kind === "response") {
      transactions.handleResponse(message, source);
      return;
    }
    metrics.requestReceived(message.method);
    const stamped = stampSource(message, source);
    this.#sizes.set(stamped, data.length);
    if (transactions.handleRequest(stamped, source) === "unmatchable") {
      metrics.dropped("unmatchable");
    }
  }

  // RFC 3261 §8.2 / §16.3 step 1: a malformed request gets 400 (505, 513) with the
  // reason when Via, From, To, Call-ID and CSeq can be read; anything else is dropped.
  #badMessage(error: SipParseError, source: Destination): void {
    const { metrics, logger } = this.#deps;
    metrics.parseError();
    const response = responseForParseError(error);
    if (response === undefined) {
      metrics.dropped("unparseable");
      logger.debug({ reason: error.reason, from: `${source.host}:${source.port}` }, "dropped");
      return;
    }
    const stamped = stampSource(response, source);
    const top = stamped.vias[0];
    const destination = (top && responseDestination(top)) ?? source;
    this.#deps.send(stamped.toBuffer(), destination);
    metrics.responseSent(response.status);
  }
}
