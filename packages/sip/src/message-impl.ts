// The one implementation of SipRequest and SipResponse, for parsed, built and
// edited messages alike.

import type { HeaderLine } from "./header-line.js";
import { findListComma, splitList } from "./header-list.js";
import { isListHeader, lookupKey } from "./header-names.js";
import type { CSeq, NameAddr, SipRequest, SipResponse, SipUri, Via } from "./message.js";
import { serializeMessage } from "./message-serialize.js";
import { parseNameAddr } from "./parse-name-addr.js";
import { parseUri } from "./parse-uri.js";
import { trimWsp } from "./text-chars.js";

/**
 * The parsed values every message carries (see readCoreFields). From and To
 * may be given as text known to parse (see isPlainNameAddr): they are parsed
 * when first read.
 */
export interface CoreValues {
  readonly callId: string;
  readonly cseq: CSeq;
  readonly from: NameAddr | string;
  readonly to: NameAddr | string;
  readonly vias: readonly Via[];
}

/** The Request-URI; `uri` undefined when uriText is known to parse (see isPlainSipUri). */
export interface RequestTarget {
  readonly method: string;
  readonly uri: SipUri | undefined;
  readonly uriText: string;
}

function nameAddrOf(value: NameAddr | string): NameAddr {
  return typeof value === "string" ? parseNameAddr(value) : value;
}

export abstract class MessageBase {
  readonly startLine: string;
  readonly headers: readonly HeaderLine[];
  readonly body: Buffer;
  readonly callId: string;
  readonly cseq: CSeq;
  #from: NameAddr | string;
  #to: NameAddr | string;
  readonly vias: readonly Via[];
  #wire: Buffer | undefined;
  /** The bytes a parsed message was read from, and where it starts in them. */
  readonly #received: Buffer | undefined;
  readonly #receivedStart: number;
  /** Values read from fields on first use (see message-headers.ts). */
  #memo: Map<string, unknown> | undefined;

  /**
   * `received`: for a parsed message, the bytes it was read from, starting at
   * `receivedStart` and ending with the body, which are the message's wire form.
   */
  constructor(
    startLine: string,
    headers: readonly HeaderLine[],
    body: Buffer,
    core: CoreValues,
    received: Buffer | undefined,
    receivedStart: number,
  ) {
    this.startLine = startLine;
    this.headers = headers;
    this.body = body;
    this.callId = core.callId;
    this.cseq = core.cseq;
    this.#from = core.from;
    this.#to = core.to;
    this.vias = core.vias;
    this.#received = received;
    this.#receivedStart = receivedStart;
  }

  get from(): NameAddr {
    if (typeof this.#from === "string") this.#from = nameAddrOf(this.#from);
    return this.#from;
  }

  get to(): NameAddr {
    if (typeof this.#to === "string") this.#to = nameAddrOf(this.#to);
    return this.#to;
  }

  /** The core values as held: From and To possibly still as text. */
  get core(): CoreValues {
    return {
      callId: this.callId,
      cseq: this.cseq,
      from: this.#from,
      to: this.#to,
      vias: this.vias,
    };
  }

  header(name: string): string | undefined {
    const key = lookupKey(name);
    const list = isListHeader(key);
    for (const line of this.headers) {
      if (line.key !== key) continue;
      if (!list) return line.value;
      let start = 0;
      for (;;) {
        const comma = findListComma(line.value, start);
        const item = trimWsp(line.value.slice(start, comma === -1 ? undefined : comma));
        if (item.length > 0) return item;
        if (comma === -1) break;
        start = comma + 1;
      }
    }
    return undefined;
  }

  headerValues(name: string): string[] {
    const key = lookupKey(name);
    const list = isListHeader(key);
    const values: string[] = [];
    for (const line of this.headers) {
      if (line.key !== key) continue;
      if (list) splitList(line.value, values);
      else values.push(line.value);
    }
    return values;
  }

  /** The value remembered under `key`, computed by `read` on first use. */
  remember<T>(key: string, read: () => T): T {
    this.#memo ??= new Map();
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const value = read();
    this.#memo.set(key, value);
    return value;
  }

  toBuffer(): Buffer {
    if (this.#wire !== undefined) return this.#wire;
    const received = this.#received;
    this.#wire =
      received === undefined
        ? serializeMessage(this.startLine, this.headers, this.body)
        : received.subarray(
            this.#receivedStart,
            this.body.byteOffset - received.byteOffset + this.body.length,
          );
    return this.#wire;
  }
}

export class Request extends MessageBase implements SipRequest {
  readonly kind = "request";
  readonly method: string;
  #uri: SipUri | undefined;
  readonly uriText: string;
  readonly maxForwards: number | undefined;

  constructor(
    startLine: string,
    headers: readonly HeaderLine[],
    body: Buffer,
    core: CoreValues & { readonly maxForwards: number | undefined },
    target: RequestTarget,
    received?: Buffer,
    receivedStart = 0,
  ) {
    super(startLine, headers, body, core, received, receivedStart);
    this.method = target.method;
    this.#uri = target.uri;
    this.uriText = target.uriText;
    this.maxForwards = core.maxForwards;
  }

  get uri(): SipUri {
    this.#uri ??= parseUri(this.uriText);
    return this.#uri;
  }

  /** The Request-URI as held: undefined while not parsed yet. */
  get target(): RequestTarget {
    return { method: this.method, uri: this.#uri, uriText: this.uriText };
  }
}

export class Response extends MessageBase implements SipResponse {
  readonly kind = "response";
  readonly status: number;
  readonly reason: string;

  constructor(
    startLine: string,
    headers: readonly HeaderLine[],
    body: Buffer,
    core: CoreValues,
    status: { readonly status: number; readonly reason: string },
    received?: Buffer,
    receivedStart = 0,
  ) {
    super(startLine, headers, body, core, received, receivedStart);
    this.status = status.status;
    this.reason = status.reason;
  }
}
