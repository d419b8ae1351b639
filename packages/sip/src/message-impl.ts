// The one implementation of SipRequest and SipResponse, for parsed, built and
// edited messages alike.

import type { HeaderLine } from "./header-line.js";
import { findListComma, splitList } from "./header-list.js";
import { isListHeader, lookupKey } from "./header-names.js";
import type { CSeq, NameAddr, SipRequest, SipResponse, SipUri, Via } from "./message.js";
import { type StartLine, serializeMessage } from "./message-serialize.js";
import { trimWsp } from "./text-chars.js";

/** The parsed values every message carries (see readCoreFields). */
export interface CoreValues {
  readonly callId: string;
  readonly cseq: CSeq;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly vias: readonly Via[];
}

export abstract class MessageBase {
  readonly startLine: StartLine;
  readonly headers: readonly HeaderLine[];
  readonly body: Buffer;
  readonly callId: string;
  readonly cseq: CSeq;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly vias: readonly Via[];
  #wire: Buffer | undefined;
  /** Values read from fields on first use (see message-headers.ts). */
  #memo: Map<string, unknown> | undefined;

  /** `wire`: the exact bytes of the message when they are known (a parsed, untouched message). */
  constructor(
    startLine: StartLine,
    headers: readonly HeaderLine[],
    body: Buffer,
    core: CoreValues,
    wire: Buffer | undefined,
  ) {
    this.startLine = startLine;
    this.headers = headers;
    this.body = body;
    this.callId = core.callId;
    this.cseq = core.cseq;
    this.from = core.from;
    this.to = core.to;
    this.vias = core.vias;
    this.#wire = wire;
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
    this.#wire ??= serializeMessage(this.startLine, this.headers, this.body);
    return this.#wire;
  }
}

export class Request extends MessageBase implements SipRequest {
  readonly kind = "request";
  readonly method: string;
  readonly uri: SipUri;
  readonly uriText: string;
  readonly maxForwards: number | undefined;

  constructor(
    startLine: StartLine,
    headers: readonly HeaderLine[],
    body: Buffer,
    core: CoreValues & { readonly maxForwards: number | undefined },
    target: { readonly method: string; readonly uri: SipUri; readonly uriText: string },
    wire?: Buffer,
  ) {
    super(startLine, headers, body, core, wire);
    this.method = target.method;
    this.uri = target.uri;
    this.uriText = target.uriText;
    this.maxForwards = core.maxForwards;
  }
}

export class Response extends MessageBase implements SipResponse {
  readonly kind = "response";
  readonly status: number;
  readonly reason: string;

  constructor(
    startLine: StartLine,
    headers: readonly HeaderLine[],
    body: Buffer,
    core: CoreValues,
    status: { readonly status: number; readonly reason: string },
    wire?: Buffer,
  ) {
    super(startLine, headers, body, core, wire);
    this.status = status.status;
    this.reason = status.reason;
  }
}
