// Cuts a byte stream (TCP, TLS) into SIP messages: RFC 3261 §18.3 frames each
// message by its Content-Length, which stream transports must send. CRLFs
// between messages are keep-alives (RFC 5626 §3.5.1): a double CRLF is a ping
// (the answer is a single CRLF), a single CRLF a pong.
import { SipParseError } from "./parse-error.js";
import { DEFAULT_MAX_MESSAGE_SIZE } from "./parse-message.js";

export type KeepAlive = "ping" | "pong";

export interface StreamFramerOptions {
  /** Largest message accepted, header section and body together (default 128 KiB). */
  readonly maxMessageSize?: number;
  /** Called for each keep-alive seen between messages. */
  readonly onKeepAlive?: (kind: KeepAlive) => void;
}

const CR = 0x0d;
const LF = 0x0a;
const END_OF_HEAD = Buffer.from("\r\n\r\n", "latin1");
/** A Content-Length field ("l" is its compact form), its value up to the end of the line. */
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*(?:\r\n[ \t]+[^\r\n]*)*)/gim;

/**
 * Content-Length of a header section: the one value it must carry on a stream.
 * Several fields that disagree leave the framing unknown (RFC 4475 §3.3.9).
 */
function contentLengthOf(head: string, max: number): number {
  let length: number | undefined;
  for (const match of head.matchAll(CONTENT_LENGTH)) {
    const text = (match[1] ?? "").replace(/[ \t\r\n]+/g, "");
    if (!/^\d{1,10}$/.test(text) || Number(text) > max)
      throw new SipParseError("Bad Content-Length");
    if (length !== undefined && length !== Number(text))
      throw new SipParseError("Bad Content-Length");
    length = Number(text);
  }
  if (length === undefined) throw new SipParseError("Missing Content-Length");
  return length;
}

/**
 * Feed it the chunks of one connection in order; it hands back each complete
 * message as one Buffer, however the chunks split or join them. A framing
 * error (no or bad Content-Length, a message over the size limit) throws
 * SipParseError: the stream cannot be resynchronised, close the connection.
 */
export class StreamFramer {
  readonly #maxMessageSize: number;
  readonly #onKeepAlive: ((kind: KeepAlive) => void) | undefined;
  /** Received bytes not handed out yet are #buffer[#start, #end). */
  #buffer: Buffer = Buffer.alloc(0);
  #start = 0;
  #end = 0;
  /** Where to resume looking for the end of the header section, from #start. */
  #searchFrom = 0;
  /** Size of the message at #start once its header section has been read. */
  #messageSize: number | undefined;
  /** CRLF pairs seen since the last message or keep-alive. */
  #crlfRun = 0;
  #failed: SipParseError | undefined;

  constructor(options: StreamFramerOptions = {}) {
    this.#maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.#onKeepAlive = options.onKeepAlive;
  }

  /** Bytes received but not yet handed out as a message. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Adds a chunk; returns the messages it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    if (this.#failed !== undefined) throw this.#failed;
    this.#append(chunk);
    const messages: Buffer[] = [];
    try {
      for (;;) {
        this.#skipKeepAlives();
        const message = this.#nextMessage();
        if (message === undefined) break;
        messages.push(message);
      }
    } catch (error) {
      if (error instanceof SipParseError) this.#failed = error;
      throw error;
    }
    return messages;
  }

  /**
   * Appends in place, growing the buffer geometrically (amortised linear time
   * however small the chunks). Bytes already handed out are never overwritten:
   * growing copies the unread bytes to a new buffer.
   */
  #append(chunk: Buffer): void {
    if (this.#end + chunk.length > this.#buffer.length) {
      const unread = this.#end - this.#start;
      const grown = Buffer.allocUnsafe(Math.max(unread + chunk.length, 2 * unread, 4096));
      this.#buffer.copy(grown, 0, this.#start, this.#end);
      this.#buffer = grown;
      this.#start = 0;
      this.#end = unread;
    }
    this.#end += chunk.copy(this.#buffer, this.#end);
  }

  /** Consumes CRLFs before a message, reporting pings and pongs. */
  #skipKeepAlives(): void {
    const data = this.#buffer;
    let i = this.#start;
    while (i + 1 < this.#end && data[i] === CR && data[i + 1] === LF) {
      i += 2;
      this.#crlfRun++;
      if (this.#crlfRun === 2) {
        this.#crlfRun = 0;
        this.#onKeepAlive?.("ping");
      }
    }
    // A lone CRLF followed by the start of a message was a pong.
    if (this.#crlfRun === 1 && i < this.#end && data[i] !== CR) {
      this.#crlfRun = 0;
      this.#onKeepAlive?.("pong");
    }
    this.#start = i;
  }

  #nextMessage(): Buffer | undefined {
    const start = this.#start;
    const available = this.#end - start;
    // Nothing, or a lone CR that may be the start of a keep-alive.
    if (available === 0 || (available === 1 && this.#buffer[start] === CR)) return undefined;
    if (this.#messageSize === undefined) {
      const data = this.#buffer.subarray(start, this.#end);
      const endOfHead = data.indexOf(END_OF_HEAD, this.#searchFrom);
      if (endOfHead === -1) {
        if (available > this.#maxMessageSize) {
          throw new SipParseError("Message Too Large", { status: 513 });
        }
        this.#searchFrom = Math.max(0, available - 3);
        return undefined;
      }
      const head = data.toString("latin1", 0, endOfHead + 2);
      this.#messageSize = endOfHead + 4 + contentLengthOf(head, this.#maxMessageSize);
      if (this.#messageSize > this.#maxMessageSize) {
        throw new SipParseError("Message Too Large", { status: 513 });
      }
    }
    if (available < this.#messageSize) return undefined;
    const message = this.#buffer.subarray(start, start + this.#messageSize);
    this.#start += this.#messageSize;
    this.#messageSize = undefined;
    this.#searchFrom = 0;
    return message;
  }
}
