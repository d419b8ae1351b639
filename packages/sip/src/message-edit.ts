// Edits a received message into the one a proxy forwards (RFC 3261 §16.6 for
// requests, §16.7 for responses). Every field the edits do not touch, and the
// body, go out byte for byte as received.

import { HeaderLine, newHeaderLine, toHeaderLine } from "./header-line.js";
import { findListComma } from "./header-list.js";
import { lookupKey } from "./header-names.js";
import type { SipMessage, SipUri, Via } from "./message.js";
import { readCoreFields } from "./message-fields.js";
import { type CoreValues, Request, Response } from "./message-impl.js";
import { serializeMessage } from "./message-serialize.js";
import { parseUri } from "./parse-uri.js";
import { parseVia, viaTextWithSource, viaWithSource } from "./parse-via.js";
import { trimWsp } from "./text-chars.js";
import { formatVia, ViaValue } from "./via-value.js";

/** An IPv4 or IPv6 address as a socket reports it (no brackets). */
const IP_LITERAL = /^[0-9A-Fa-f:.]+$/;

/** Fields whose parsed value the message carries; changing them by name re-reads them. */
const CORE_KEYS = new Set(["via", "from", "to", "call-id", "cseq", "max-forwards"]);

function toImplementation(message: SipMessage): Request | Response {
  if (message instanceof Request || message instanceof Response) return message;
  const headers = message.headers.map(toHeaderLine);
  if (message.kind === "request") {
    const startLine = `${message.method} ${message.uriText} SIP/2.0`;
    return new Request(startLine, headers, message.body, message, message);
  }
  const startLine = `SIP/2.0 ${message.status} ${message.reason}`;
  return new Response(startLine, headers, message.body, message, message);
}

/**
 * A chain of edits on a message; nothing is copied until the first edit and the
 * original message is never changed. Edits apply in call order, so "top Via"
 * means the topmost one at that point of the chain.
 */
export class MessageEditor<M extends SipMessage> {
  readonly #base: Request | Response;
  #headers: HeaderLine[] | undefined;
  #startLine: string;
  /** setRequestUri was called: the start line is a new one. */
  #newStartLine = false;
  #vias: readonly Via[];
  /** The new Request-URI (setRequestUri), undefined while unchanged. */
  #uri: SipUri | undefined;
  #uriText: string | undefined;
  #maxForwards: number | undefined;
  /** A core field was set or removed by name: re-read them all when building. */
  #rereadCore = false;

  constructor(message: M) {
    const base = toImplementation(message);
    this.#base = base;
    this.#startLine = base.startLine;
    this.#vias = base.vias;
    if (base instanceof Request) {
      this.#maxForwards = base.maxForwards;
    }
  }

  private lines(): HeaderLine[] {
    this.#headers ??= this.#base.headers.slice();
    return this.#headers;
  }

  private request(what: string): Request {
    if (!(this.#base instanceof Request)) throw new TypeError(`${what} applies to requests only`);
    return this.#base;
  }

  private indexOf(key: string): number {
    const lines = this.#headers ?? this.#base.headers;
    for (let i = 0; i < lines.length; i++) if ((lines[i] as HeaderLine).key === key) return i;
    return -1;
  }

  /**
   * Removes the first value of the first `key` field: the whole field when it
   * holds one value, else that value only. Returns false when there is none.
   */
  private removeFirstValue(key: string): boolean {
    const index = this.indexOf(key);
    if (index === -1) return false;
    const lines = this.lines();
    const line = lines[index] as HeaderLine;
    const comma = findListComma(line.value);
    if (comma === -1) {
      for (let i = index + 1; i < lines.length; i++) lines[i - 1] = lines[i] as HeaderLine;
      lines.pop();
    } else {
      lines[index] = line.withValue(trimWsp(line.value.slice(comma + 1)));
    }
    return true;
  }

  /** Inserts a field before the first `key` field, or at the top of the header section. */
  private insertOnTop(key: string, line: HeaderLine): void {
    const index = Math.max(this.indexOf(key), 0);
    const lines = this.lines();
    lines.push(line);
    for (let i = lines.length - 1; i > index; i--) lines[i] = lines[i - 1] as HeaderLine;
    lines[index] = line;
  }

  /**
   * RFC 3261 §16.6 step 8: this proxy's Via, inserted above the existing ones.
   * Give a Via (see createVia) to skip parsing text the proxy made itself.
   */
  pushVia(via: Via | string): this {
    let parsed: Via;
    let line: HeaderLine;
    if (typeof via === "string") {
      parsed = parseVia(via);
      line = newHeaderLine("Via", via);
    } else {
      parsed = via;
      // createVia checked every part of its text already.
      const created = ViaValue.createdText(via);
      line =
        created === undefined
          ? newHeaderLine("Via", formatVia(via))
          : new HeaderLine("Via", created, "via", undefined, 0, 0, -1, -1);
    }
    this.insertOnTop("via", line);
    const vias: Via[] = [parsed];
    for (const existing of this.#vias) vias.push(existing);
    this.#vias = vias;
    return this;
  }

  /** RFC 3261 §16.7 step 3: remove the topmost Via value (this proxy's) from a response. */
  popVia(): this {
    if (!this.removeFirstValue("via")) throw new RangeError("message has no Via");
    this.#vias = this.#vias.slice(1);
    return this;
  }

  /**
   * Records where a request came from in its top Via: "received" when the
   * source address differs from sent-by (RFC 3261 §18.2.1), and the source port
   * in a valueless "rport" (RFC 3581 §4). Nothing changes when neither applies.
   */
  setViaReceived(address: string, port: number): this {
    const top = this.#vias[0];
    if (top === undefined) throw new RangeError("message has no Via");
    if (!IP_LITERAL.test(address)) throw new RangeError(`not an IP address: ${address}`);
    const updated = viaWithSource(top, address, port);
    if (updated === undefined) return this;
    const index = this.indexOf("via");
    const lines = this.lines();
    const line = lines[index] as HeaderLine;
    const comma = findListComma(line.value);
    const first = comma === -1 ? line.value : trimWsp(line.value.slice(0, comma));
    const rest = comma === -1 ? "" : line.value.slice(comma);
    lines[index] = line.withValue(viaTextWithSource(first, top, updated) + rest);
    const vias = this.#vias.slice();
    vias[0] = updated;
    this.#vias = vias;
    return this;
  }

  /** RFC 3261 §16.6 step 4: this proxy's Record-Route, above any existing ones. */
  addRecordRoute(value: string): this {
    this.insertOnTop("record-route", newHeaderLine("Record-Route", value));
    return this;
  }

  /** RFC 3261 §16.4, §16.12: remove the topmost Route value (the one naming this proxy). */
  popRoute(): this {
    if (!this.removeFirstValue("route")) throw new RangeError("message has no Route");
    return this;
  }

  /** RFC 3261 §16.6 step 6: the target becomes the Request-URI. */
  setRequestUri(uriText: string): this {
    const request = this.request("setRequestUri");
    this.#uri = parseUri(uriText);
    this.#uriText = uriText;
    this.#startLine = `${request.method} ${uriText} SIP/2.0`;
    this.#newStartLine = true;
    return this;
  }

  /**
   * RFC 3261 §16.6 step 3: decrement Max-Forwards, or add Max-Forwards: 70 when
   * the request has none. A request with 0 must have been answered with 483
   * (§16.3 step 2) instead of being forwarded.
   */
  decrementMaxForwards(): this {
    this.request("decrementMaxForwards");
    const current = this.#maxForwards;
    if (current === 0) throw new RangeError("Max-Forwards is 0: answer 483 Too Many Hops");
    const index = this.indexOf("max-forwards");
    return this.putMaxForwards(current === undefined || index === -1 ? 70 : current - 1, index);
  }

  /**
   * RFC 3261 §16.6 step 3: Max-Forwards set to `value` (0..255), in place of
   * every Max-Forwards field (the first one keeps its name as written), or
   * added at the end. Unlike setHeader, the other fields are not re-read.
   */
  setMaxForwards(value: number): this {
    this.request("setMaxForwards");
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new RangeError(`not a Max-Forwards value: ${value}`);
    }
    return this.putMaxForwards(value, this.indexOf("max-forwards"));
  }

  /** Max-Forwards set to a valid `value`; `index`: the first Max-Forwards field, or -1. */
  private putMaxForwards(value: number, index: number): this {
    const text = String(value);
    const lines = this.lines();
    if (index === -1) {
      lines.push(new HeaderLine("Max-Forwards", text, "max-forwards", undefined, 0, 0, -1, -1));
    } else {
      lines[index] = (lines[index] as HeaderLine).withValue(text);
      for (let i = lines.length - 1; i > index; i--) {
        if ((lines[i] as HeaderLine).key === "max-forwards") lines.splice(i, 1);
      }
    }
    this.#maxForwards = value;
    return this;
  }

  /** Removes every field with one of these names (compact forms included). */
  removeHeaders(...names: string[]): this {
    for (const name of names) {
      const key = lookupKey(name);
      const first = this.indexOf(key);
      if (first === -1) continue;
      const lines = this.lines();
      let kept = first;
      for (let i = first + 1; i < lines.length; i++) {
        const line = lines[i] as HeaderLine;
        if (line.key !== key) lines[kept++] = line;
      }
      while (lines.length > kept) lines.pop();
      this.noteCoreChange(key);
    }
    return this;
  }

  /** Replaces every field named `name` by one field, where the first one was (or at the end). */
  setHeader(name: string, value: string): this {
    const line = newHeaderLine(name, value);
    const lines = this.lines();
    const index = lines.findIndex((existing) => existing.key === line.key);
    this.#headers = lines.filter((existing) => existing.key !== line.key);
    this.#headers.splice(index === -1 ? this.#headers.length : index, 0, line);
    this.noteCoreChange(line.key);
    return this;
  }

  /** Appends a field at the end of the header section. */
  addHeader(name: string, value: string): this {
    const line = newHeaderLine(name, value);
    this.lines().push(line);
    this.noteCoreChange(line.key);
    return this;
  }

  /**
   * RFC 3261 §18.3: Content-Length is mandatory on stream transports; adds it
   * when a message received over UDP had none.
   */
  ensureContentLength(): this {
    if (this.indexOf("content-length") === -1) {
      this.lines().push(newHeaderLine("Content-Length", String(this.#base.body.length)));
    }
    return this;
  }

  private noteCoreChange(key: string): void {
    if (CORE_KEYS.has(key)) this.#rereadCore = true;
  }

  /** The core values of the base message (From and To as held: parsed or not), with the edits. */
  private keptCore(): CoreValues & { readonly maxForwards: number | undefined } {
    const held = this.#base.core;
    return {
      callId: held.callId,
      cseq: held.cseq,
      from: held.from,
      to: held.to,
      vias: this.#vias,
      maxForwards: this.#maxForwards,
    };
  }

  /** The edited message (the original one when nothing was edited). */
  toMessage(): M {
    const base = this.#base;
    if (this.#headers === undefined && !this.#newStartLine) return base as SipMessage as M;
    const headers = this.#headers ?? base.headers;
    const core = this.#rereadCore
      ? readCoreFields(
          headers,
          base instanceof Request ? base.method : undefined,
          Number.MAX_SAFE_INTEGER,
        )
      : this.keptCore();
    let message: Request | Response;
    if (base instanceof Request) {
      const target =
        this.#uri === undefined || this.#uriText === undefined
          ? base.target
          : { method: base.method, uri: this.#uri, uriText: this.#uriText };
      message = new Request(this.#startLine, headers, base.body, core, target);
    } else {
      message = new Response(this.#startLine, headers, base.body, core, base);
    }
    return message as SipMessage as M;
  }

  /** The edited message as it goes on the wire. */
  toBuffer(): Buffer {
    const base = this.#base;
    if (this.#headers === undefined && !this.#newStartLine) return base.toBuffer();
    // Checks what toMessage checks, without building the message.
    if (this.#rereadCore) return this.toMessage().toBuffer();
    return serializeMessage(this.#startLine, this.#headers ?? base.headers, base.body);
  }
}

/** Starts editing `message` for forwarding: `editMessage(request).pushVia(v).toBuffer()`. */
export function editMessage<M extends SipMessage>(message: M): MessageEditor<M> {
  return new MessageEditor(message);
}
