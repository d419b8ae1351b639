// Parses one SIP message (a UDP datagram, or one message cut out of a stream by
// the stream framer): RFC 3261 §7, §18.3, §20, §25.
import type { HeaderLine } from "./header-line.js";
import type { SipMessage } from "./message.js";
import { readCoreFields } from "./message-fields.js";
import { Request, Response } from "./message-impl.js";
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
 * NUL has no place in the header section, text[0, headLength), except escaped
 * in a quoted string (quoted-pair, RFC 3261 §25.1; RFC 4475 §3.1.1.2 has one).
 */
function checkNul(text: string, headLength: number): void {
  for (let i = text.indexOf("\0"); i !== -1 && i < headLength; i = text.indexOf("\0", i + 1)) {
    if (text.charCodeAt(i - 1) !== 0x5c) fail("NUL in header section");
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
  const maxHeaders = options.maxHeaders ?? DEFAULT_MAX_HEADERS;
  // Usually the head lies in the first few KiB: decode those.
  const prefix = data.toString("latin1", begin, Math.min(data.length, begin + HEAD_GUESS));
  const quick = readWellFormedHead(prefix, maxHeaders);
  return parseFromHead(data, begin, prefix, maxHeaders, maxSize, quick);
}

/** Where the fields `lines` scanned from `prefix` end: at the empty line, in a whole head. */
function endOfFields(prefix: string, lines: readonly HeaderLine[]): number {
  const last = lines.at(-1);
  return last === undefined ? prefix.indexOf("\r\n") + 2 : last.end;
}

/**
 * The header fields of a head that lies whole in `prefix` and splits into
 * fields without error, found in one scan that stops at the empty line;
 * undefined for any other head, which parseFromHead then reads step by step
 * to name the first problem.
 */
function readWellFormedHead(prefix: string, maxHeaders: number): HeaderLine[] | undefined {
  const lineEnd = prefix.indexOf("\r\n");
  if (lineEnd === -1) return undefined;
  let lines: HeaderLine[];
  try {
    lines = scanHeaderSection(prefix, lineEnd + 2, prefix.length, maxHeaders);
  } catch {
    return undefined;
  }
  const headLength = endOfFields(prefix, lines);
  if (prefix.charCodeAt(headLength) !== CR || prefix.charCodeAt(headLength + 1) !== LF) {
    return undefined;
  }
  const nul = prefix.indexOf("\0");
  return nul === -1 || nul >= headLength ? lines : undefined;
}

/**
 * Parses the message whose header fields readWellFormedHead found (`quick`),
 * or else finds and splits the head here, naming the first problem.
 */
function parseFromHead(
  data: Buffer,
  begin: number,
  prefix: string,
  maxHeaders: number,
  maxSize: number,
  quick: HeaderLine[] | undefined,
): SipMessage {
  // The head runs to the CRLF ending the last header field (when there is no
  // header field, the CRLF ending the start line): text[0, headLength). When
  // it is not in the decoded prefix, search the bytes.
  let endOfHead: number;
  if (quick !== undefined) {
    endOfHead = begin + endOfFields(prefix, quick) - 2;
  } else {
    endOfHead = prefix.indexOf("\r\n\r\n");
    if (endOfHead !== -1) endOfHead += begin;
    else if (data.length > begin + HEAD_GUESS) endOfHead = data.indexOf(END_OF_HEAD, begin);
  }
  const headLength = endOfHead === -1 ? 0 : endOfHead + 2 - begin;
  const text = headLength <= prefix.length ? prefix : data.toString("latin1", begin, endOfHead + 2);
  const lineEnd = headLength === 0 ? -1 : text.indexOf("\r\n");
  const line = lineEnd === -1 ? prefix.slice(0, 256) : text.slice(0, lineEnd);
  const hint = startLineHint(line);
  let headers: HeaderLine[] | undefined = quick;
  try {
    if (headers === undefined) {
      if (endOfHead === -1) fail("Incomplete header section");
      checkNul(text, headLength);
      headers = scanHeaderSection(text, lineEnd + 2, headLength, maxHeaders);
    }
    const start = parseStartLine(line, hint);
    const method = start.kind === "request" ? start.method : undefined;
    const fields = readCoreFields(headers, method, maxSize);
    const body = cutBody(data, endOfHead + 4, fields.contentLength);
    return start.kind === "request"
      ? new Request(line, headers, body, fields, start, data, begin)
      : new Response(line, headers, body, fields, start, data, begin);
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
