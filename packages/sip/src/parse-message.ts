// Parses one SIP message (a UDP datagram, or one message cut out of a stream by
// the stream framer): RFC 3261 §7, §18.3, §20, §25.
import type { HeaderLine } from "./header-line.js";
import type { SipMessage } from "./message.js";
import { readCoreFields } from "./message-fields.js";
import { Request, Response } from "./message-impl.js";
import type { StartLine } from "./message-serialize.js";
import { fail, SipParseError } from "./parse-error.js";
import { scanHeaderSection } from "./parse-header-section.js";
import { parseStartLine, type StartLineHint, startLineHint } from "./parse-start-line.js";

export interface ParseOptions {
  /** Largest message accepted, in bytes (default 128 KiB); longer ones get 513. */
  readonly maxMessageSize?: number;
  /** Most header fields accepted (default 256). */
  readonly maxHeaders?: number;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024;
export const DEFAULT_MAX_HEADERS = 256;

const END_OF_HEAD = Buffer.from("\r\n\r\n", "latin1");
/** Bytes decoded up front to look for the end of the header section. */
const HEAD_GUESS = 4096;
const CR = 0x0d;
const LF = 0x0a;

/**
 * NUL has no place in a header section except escaped in a quoted string
 * (quoted-pair, RFC 3261 §25.1; RFC 4475 §3.1.1.2 has one).
 */
function checkNul(head: string): void {
  for (let i = head.indexOf("\0"); i !== -1; i = head.indexOf("\0", i + 1)) {
    if (head.charCodeAt(i - 1) !== 0x5c) fail("NUL in header section");
  }
}

/** RFC 3261 §7.5: CRLFs before the start line are ignored. */
function skipLeadingCrlf(data: Buffer): number {
  let i = 0;
  while (i + 1 < data.length && data[i] === CR && data[i + 1] === LF) i += 2;
  return i;
}

/**
 * The body per RFC 3261 §18.3: Content-Length bytes after the empty line. A
 * shorter datagram is an error; extra bytes are discarded. Without
 * Content-Length the body is the rest of the datagram.
 */
function cutBody(data: Buffer, bodyStart: number, contentLength: number | undefined): Buffer {
  if (contentLength === undefined) return data.subarray(bodyStart);
  if (bodyStart + contentLength > data.length) fail("Content-Length mismatch");
  return data.subarray(bodyStart, bodyStart + contentLength);
}

/**
 * Parses one SIP message. Only the start line and the fields every message
 * needs (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length) are
 * interpreted here; the others are split into fields and read on demand.
 * Throws SipParseError only; the error tells whether an answer can be built
 * (see responseForParseError).
 */
export function parseMessage(data: Buffer, options: ParseOptions = {}): SipMessage {
  const maxSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  if (data.length > maxSize) fail("Message Too Large", 513);
  const begin = skipLeadingCrlf(data);
  if (begin === data.length) fail("Empty message");
  // The head runs to the CRLF ending the last header field (when there is no
  // header field, the CRLF ending the start line). Usually it lies in the first
  // few KiB: decode those and search the text, else search the bytes.
  const prefix = data.toString("latin1", begin, Math.min(data.length, begin + HEAD_GUESS));
  let endOfHead = prefix.indexOf("\r\n\r\n");
  if (endOfHead !== -1) endOfHead += begin;
  else if (data.length > begin + HEAD_GUESS) endOfHead = data.indexOf(END_OF_HEAD, begin);
  const head =
    endOfHead === -1
      ? ""
      : endOfHead + 2 - begin <= prefix.length
        ? prefix.slice(0, endOfHead + 2 - begin)
        : data.toString("latin1", begin, endOfHead + 2);
  const lineEnd = head.indexOf("\r\n");
  const line = lineEnd === -1 ? prefix.slice(0, 256) : head.slice(0, lineEnd);
  const hint = startLineHint(line);
  let headers: HeaderLine[] | undefined;
  try {
    if (endOfHead === -1) fail("Incomplete header section");
    checkNul(head);
    headers = scanHeaderSection(
      head,
      lineEnd + 2,
      data,
      begin,
      options.maxHeaders ?? DEFAULT_MAX_HEADERS,
    );
    const start = parseStartLine(line, hint);
    const method = start.kind === "request" ? start.method : undefined;
    const fields = readCoreFields(headers, method, maxSize);
    const body = cutBody(data, endOfHead + 4, fields.contentLength);
    const startLine: StartLine = { text: line, src: data, start: begin, end: begin + lineEnd + 2 };
    const wire = data.subarray(begin, body.byteOffset - data.byteOffset + body.length);
    return start.kind === "request"
      ? new Request(startLine, headers, body, fields, start, wire)
      : new Response(startLine, headers, body, fields, start, wire);
  } catch (error) {
    throw withContext(error, hint, headers);
  }
}

function withContext(
  error: unknown,
  hint: StartLineHint,
  headers: readonly HeaderLine[] | undefined,
): SipParseError {
  if (error instanceof SipParseError) return error.withContext({ ...hint, headers });
  // Not reachable with well-formed code; a parser bug must still not crash the caller.
  return new SipParseError("Unparseable message", { ...hint, cause: error });
}
