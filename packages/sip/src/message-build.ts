// Builds requests and responses: responses to a request (RFC 3261 §8.2.6), the
// ACK for a non-2xx final response (§17.1.1.3), CANCEL (§9.1) and fresh
// requests for a user agent or a test client (§8.1.1).

import { hash } from "node:crypto";
import { type HeaderLine, newHeaderLine, toHeaderLine } from "./header-line.js";
import { findListComma } from "./header-list.js";
import type { CSeq, HeaderField, NameAddr, SipRequest, SipResponse, Via } from "./message.js";
import { readCoreFields } from "./message-fields.js";
import { Request, Response } from "./message-impl.js";
import { parseUri } from "./parse-uri.js";
import { randomToken } from "./random-token.js";
import { reasonPhrase } from "./reason-phrases.js";
import { checkOctets, isToken, trimWsp } from "./text-chars.js";

/** RFC 3261 §8.1.1.7: branches start with the magic cookie "z9hG4bK"; 96 random bits. */
export function newBranch(): string {
  return `z9hG4bK${randomToken(12)}`;
}

/** A From/To tag: 64 random bits (RFC 3261 §19.3 asks for at least 32). */
export function newTag(): string {
  return randomToken(8);
}

/**
 * The To tag of a stateless UAS's response (RFC 3261 §8.2.7): the same for every
 * retransmission of `request`, and for the ACK of a non-2xx answer to an INVITE (same
 * Call-ID, From tag, branch and CSeq number, §17.1.1.3), so that the ACK can be told apart.
 */
export function statelessTag(request: SipRequest): string {
  const seed = `${request.callId}\n${request.from.params.get("tag") ?? ""}\n${request.vias[0]?.branch ?? ""}\n${request.cseq.seq}`;
  return `sl${hash("md5", seed, "hex").slice(0, 16)}`;
}

/** A Call-ID: 120 random bits, unique in space and time (RFC 3261 §8.1.1.4). */
export function newCallId(): string {
  return randomToken(15);
}

const EMPTY_BODY = Buffer.alloc(0);

/** Fields a response copies from its request (RFC 3261 §8.2.6.2). */
export interface CopiedFields {
  /** Header fields copied as they are, in order: Via, From, To, Call-ID, CSeq. */
  readonly lines: readonly HeaderLine[];
  readonly vias: readonly Via[];
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: CSeq;
}

export interface ResponseOptions {
  /** The To tag to add when the request's To has none (default: a new tag). */
  readonly toTag?: string;
  /** Further header fields, after the copied ones. */
  readonly headers?: readonly HeaderField[];
  readonly body?: Buffer;
}

const COPIED_KEYS = new Set(["via", "from", "to", "call-id", "cseq"]);

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new RangeError(`status code must be 100-699, got ${status}`);
  }
}

function reasonText(status: number, reason: string | undefined): string {
  const text = reason ?? reasonPhrase(status);
  checkOctets(text, "reason phrase");
  if (text.includes("\r") || text.includes("\n") || text.includes("\0"))
    throw new RangeError("reason phrase contains CR, LF or NUL");
  return text;
}

/** Appends options.headers (never a copied field: those come from the request) and Content-Length. */
function appendExtra(lines: HeaderLine[], headers: readonly HeaderField[], body: Buffer): void {
  for (const field of headers) {
    const line = toHeaderLine(field);
    if (line.key === "content-length") continue;
    if (COPIED_KEYS.has(line.key)) throw new RangeError(`${field.name} is copied from the request`);
    lines.push(line);
  }
  lines.push(newHeaderLine("Content-Length", String(body.length)));
}

/**
 * A response made of fields copied from a request. RFC 3261 §8.2.6.2: a To
 * without a tag gets one, except in a 100 (Trying).
 */
export function assembleResponse(
  copied: CopiedFields,
  status: number,
  reason: string | undefined,
  options: ResponseOptions,
): SipResponse {
  checkStatus(status);
  const phrase = reasonText(status, reason);
  const body = options.body ?? EMPTY_BODY;
  let to = copied.to;
  const addTag = status > 100 && !to.params.has("tag");
  const tag = addTag ? (options.toTag ?? newTag()) : undefined;
  if (tag !== undefined && !isToken(tag)) throw new RangeError(`not a tag: ${tag}`);
  const lines: HeaderLine[] = [];
  for (const line of copied.lines) {
    if (tag !== undefined && line.key === "to") {
      lines.push(line.withValue(`${line.value};tag=${tag}`));
      const params = new Map(to.params).set("tag", tag);
      to = { displayName: to.displayName, uri: to.uri, uriText: to.uriText, params };
    } else {
      lines.push(line);
    }
  }
  appendExtra(lines, options.headers ?? [], body);
  const core = {
    callId: copied.callId,
    cseq: copied.cseq,
    from: copied.from,
    to,
    vias: copied.vias,
  };
  const startLine = `SIP/2.0 ${status} ${phrase}`;
  return new Response(startLine, lines, body, core, { status, reason: phrase });
}

/**
 * A response to `request` (RFC 3261 §8.2.6): all Via fields in order, From,
 * To (with a tag added when it has none and status > 100), Call-ID and CSeq
 * copied; a 100 also copies Timestamp (§8.2.6.1); Content-Length set.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  options: ResponseOptions = {},
): SipResponse {
  const lines: HeaderLine[] = [];
  for (const field of request.headers) {
    const line = toHeaderLine(field);
    if (COPIED_KEYS.has(line.key) || (status === 100 && line.key === "timestamp")) lines.push(line);
  }
  const copied = {
    lines,
    vias: request.vias,
    from: request.from,
    to: request.to,
    callId: request.callId,
    cseq: request.cseq,
  };
  return assembleResponse(copied, status, reason, options);
}

/** The first Via value of a request as a field of its own (RFC 3261 §9.1, §17.1.1.3). */
function topViaLine(request: SipRequest): HeaderLine {
  for (const field of request.headers) {
    const line = toHeaderLine(field);
    if (line.key !== "via") continue;
    const comma = findListComma(line.value);
    return comma === -1 ? line : line.withValue(trimWsp(line.value.slice(0, comma)));
  }
  throw new RangeError("request has no Via");
}

/** ACK and CANCEL: one Via, the Route set, Max-Forwards 70, no body; `to` as given. */
function requestForSameTransaction(
  invite: SipRequest,
  method: "ACK" | "CANCEL",
  to: HeaderLine,
  toValue: NameAddr,
): SipRequest {
  const lines: HeaderLine[] = [topViaLine(invite)];
  for (const field of invite.headers) {
    const line = toHeaderLine(field);
    if (line.key === "route") lines.push(line);
  }
  lines.push(newHeaderLine("Max-Forwards", "70"));
  for (const field of invite.headers) {
    const line = toHeaderLine(field);
    if (line.key === "from" || line.key === "call-id") lines.push(line);
  }
  lines.push(to);
  lines.push(newHeaderLine("CSeq", `${invite.cseq.seq} ${method}`));
  lines.push(newHeaderLine("Content-Length", "0"));
  const core = {
    callId: invite.callId,
    cseq: { seq: invite.cseq.seq, method },
    from: invite.from,
    to: toValue,
    vias: invite.vias.slice(0, 1),
    maxForwards: 70,
  };
  const startLine = `${method} ${invite.uriText} SIP/2.0`;
  return new Request(startLine, lines, EMPTY_BODY, core, {
    method,
    uri: invite.uri,
    uriText: invite.uriText,
  });
}

function headerLineOf(message: SipRequest | SipResponse, key: string): HeaderLine {
  for (const field of message.headers) {
    const line = toHeaderLine(field);
    if (line.key === key) return line;
  }
  throw new RangeError(`message has no ${key}`);
}

/**
 * The ACK a client INVITE transaction sends for a non-2xx final response
 * (RFC 3261 §17.1.1.3): Request-URI, Call-ID and From of the INVITE, the To of
 * the response, the INVITE's top Via only, its Route fields, CSeq number with
 * method ACK, Max-Forwards 70, no body.
 */
export function createAck(invite: SipRequest, response: SipResponse): SipRequest {
  return requestForSameTransaction(invite, "ACK", headerLineOf(response, "to"), response.to);
}

/**
 * A CANCEL for `invite` (RFC 3261 §9.1): Request-URI, Call-ID, To, From and
 * CSeq number of the request, its top Via only, its Route fields, method
 * CANCEL, Max-Forwards 70, no body.
 */
export function createCancel(invite: SipRequest): SipRequest {
  return requestForSameTransaction(invite, "CANCEL", headerLineOf(invite, "to"), invite.to);
}

export interface RequestSpec {
  readonly method: string;
  readonly uri: string;
  /** Must include Via, From, To, Call-ID and CSeq (RFC 3261 §8.1.1). */
  readonly headers: readonly HeaderField[];
  readonly body?: Buffer;
}

/**
 * A new request for a user agent or a test client. Adds Max-Forwards: 70 when
 * missing (RFC 3261 §8.1.1.6) and sets Content-Length from the body. Throws
 * SipParseError when a mandatory field is missing or malformed.
 */
export function createRequest(spec: RequestSpec): SipRequest {
  if (!isToken(spec.method)) throw new RangeError(`not a method: ${spec.method}`);
  const uriText = trimWsp(spec.uri);
  const uri = parseUri(uriText);
  const body = spec.body ?? EMPTY_BODY;
  const lines: HeaderLine[] = [];
  for (const field of spec.headers) {
    const line = toHeaderLine(field);
    if (line.key !== "content-length") lines.push(line);
  }
  if (!lines.some((line) => line.key === "max-forwards")) {
    lines.push(newHeaderLine("Max-Forwards", "70"));
  }
  lines.push(newHeaderLine("Content-Length", String(body.length)));
  const core = readCoreFields(lines, spec.method, body.length);
  const startLine = `${spec.method} ${uriText} SIP/2.0`;
  return new Request(startLine, lines, body, core, { method: spec.method, uri, uriText });
}
