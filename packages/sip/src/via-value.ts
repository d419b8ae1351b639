// The one implementation of Via (RFC 3261 §20.42, RFC 3581), for parsed,
// stamped and created values alike, and the writing of Via text.
import type { Via } from "./message.js";
import { scanHost } from "./parse-host.js";
import { isToken, lowerAscii, upperAscii } from "./text-chars.js";
import { formatParams, ValueCursor } from "./value-cursor.js";

export const SIP_2_0 = "SIP/2.0";

/** The sent-by and the parameters a proxy reads, as the parser or createVia found them. */
export interface ViaFields {
  readonly protocol: string;
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  readonly rport: number | null | undefined;
}

/**
 * A Via value. Its parameters are built into a Map the first time `params` is
 * read (most Vias pass through a proxy without anyone looking at their
 * extension parameters): from text the parser or createVia has already
 * checked, or from the Via a stamped one was made from. Values are immutable; one made by createVia
 * remembers its own text, which is known to be a valid header value.
 */
export class ViaValue implements Via {
  readonly protocol: string;
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  readonly rport: number | null | undefined;
  #params: ReadonlyMap<string, string | null> | undefined;
  /** text[start, end): the parameters as written, `;name[=value]` each, already checked. */
  #paramsText = "";
  #paramsStart = 0;
  #paramsEnd = 0;
  /** The Via this one was stamped from (see viaWithSource). */
  #stampedFrom: Via | undefined;
  #text: string | undefined;

  private constructor(fields: ViaFields) {
    this.protocol = fields.protocol;
    this.transport = fields.transport;
    this.host = fields.host;
    this.port = fields.port;
    this.branch = fields.branch;
    this.received = fields.received;
    this.rport = fields.rport;
  }

  /** A Via whose parameters are text[start, end), checked by the parser. */
  static withParamText(fields: ViaFields, text: string, start: number, end: number): ViaValue {
    const via = new ViaValue(fields);
    via.#paramsText = text;
    via.#paramsStart = start;
    via.#paramsEnd = end;
    return via;
  }

  /**
   * `base` with received (and a filled rport) added, as `fields` say: RFC 3261
   * §18.2.1, RFC 3581 §4.
   */
  static stamped(fields: ViaFields, base: Via): ViaValue {
    const via = new ViaValue(fields);
    via.#stampedFrom = base;
    return via;
  }

  /** A Via made by createVia, written as `text`, its parameters from `paramsStart` on. */
  static created(fields: ViaFields, text: string, paramsStart: number): ViaValue {
    const via = ViaValue.withParamText(fields, text, paramsStart, text.length);
    via.#text = text;
    return via;
  }

  get params(): ReadonlyMap<string, string | null> {
    this.#params ??= this.#readParams();
    return this.#params;
  }

  #readParams(): ReadonlyMap<string, string | null> {
    const base = this.#stampedFrom;
    if (base === undefined) {
      return new ValueCursor(this.#paramsText, this.#paramsStart, this.#paramsEnd).params("Via");
    }
    const params = new Map(base.params);
    params.set("received", this.received ?? null);
    if (base.rport === null && typeof this.rport === "number") {
      params.set("rport", String(this.rport));
    }
    return params;
  }

  /** The text of a Via made by createVia; undefined for any other. */
  static createdText(via: Via): string | undefined {
    return #text in via ? via.#text : undefined;
  }
}

/** Writes a Via value; parameters keep their order. */
export function formatVia(via: Via): string {
  let out = `${via.protocol}/${via.transport} ${via.host}`;
  if (via.port !== undefined) out += `:${via.port}`;
  return out + formatParams(via.params);
}

export interface ViaSpec {
  /** "UDP", "TCP", "TLS", … */
  readonly transport: string;
  /** sent-by host: a name, an IPv4 address or a bracketed IPv6 reference. */
  readonly host: string;
  readonly port?: number;
  /** RFC 3261 §8.1.1.7: starts with "z9hG4bK" (see newBranch). */
  readonly branch: string;
  /** RFC 3581 §3: ask for the response to go to the source port. */
  readonly rport?: boolean;
}

/**
 * The host and transport createVia checked last, and the start of the text
 * they make: an element gives the same ones to every Via it creates.
 */
let lastHost: string | undefined;
let lastTransport: string | undefined;
let lastSentBy = "";

/**
 * A Via for this element's own requests, without writing and re-parsing text.
 * Every part is checked here, so its text goes into a message unchecked.
 */
export function createVia(spec: ViaSpec): Via {
  const { host: givenHost, transport: givenTransport, branch, port } = spec;
  if (givenHost !== lastHost || givenTransport !== lastTransport) {
    if (scanHost(givenHost, 0) !== givenHost.length)
      throw new RangeError(`not a host: ${givenHost}`);
    if (!isToken(givenTransport)) throw new RangeError(`not a transport: ${givenTransport}`);
    lastHost = givenHost;
    lastTransport = givenTransport;
    lastSentBy = `${SIP_2_0}/${upperAscii(givenTransport)} ${lowerAscii(givenHost)}`;
  }
  if (!isToken(branch)) throw new RangeError(`not a branch: ${branch}`);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError(`not a port: ${port}`);
  }
  const rport = spec.rport === true;
  // The same text formatVia writes: a branch is a token, so it is never quoted.
  let text = port === undefined ? lastSentBy : `${lastSentBy}:${port}`;
  const paramsStart = text.length;
  text += rport ? `;branch=${branch};rport` : `;branch=${branch}`;
  const fields: ViaFields = {
    protocol: SIP_2_0,
    transport: upperAscii(givenTransport),
    host: lowerAscii(givenHost),
    port,
    branch,
    received: undefined,
    rport: rport ? null : undefined,
  };
  return ViaValue.created(fields, text, paramsStart);
}
