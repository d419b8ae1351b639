// Quick syntactic checks for the usual shapes of a Request-URI and of From/To
// values (RFC 3261 §20.20, §20.39, §25.1), so that the message parser can leave
// building their structured form until it is read. A check says true only for
// text that parseUri / parseNameAddr accept: it admits a narrow subset of the
// grammar (no escapes, no URI headers, at most one parameter, no quoted-pairs),
// and everything it does not admit goes through the full parser at once, which
// keeps every error at parse time.
import { parsePort, scanHost } from "./parse-host.js";
import { GEN_VALUE, isCharIn, PARAM, TOKEN, USER } from "./text-chars.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const SEMI = 0x3b;
const EQUAL = 0x3d;
const LAQUOT = 0x3c;
const HTAB = 0x09;
const SP = 0x20;
const DEL = 0x7f;

/** Index after the run of `flag` characters starting at `i` (before `end`). */
function scanRun(text: string, i: number, end: number, flag: number): number {
  while (i < end && isCharIn(text.charCodeAt(i), flag)) i++;
  return i;
}

/** Index after "sip:" or "sips:" at `start`, or -1. */
function afterSipScheme(text: string, start: number): number {
  if (
    text.charCodeAt(start) !== 0x73 ||
    text.charCodeAt(start + 1) !== 0x69 ||
    text.charCodeAt(start + 2) !== 0x70
  ) {
    return -1;
  }
  if (text.charCodeAt(start + 3) === COLON) return start + 4;
  return text.charCodeAt(start + 3) === 0x73 && text.charCodeAt(start + 4) === COLON
    ? start + 5
    : -1;
}

/**
 * text[start, end) is "sip:" or "sips:", an optional user without escapes or
 * password followed by "@", a host, an optional port and at most one URI
 * parameter without escapes, and nothing else: a URI that parseUri accepts.
 */
export function isPlainSipUri(text: string, start: number, end: number): boolean {
  let i = afterSipScheme(text, start);
  if (i === -1 || i >= end) return false;
  const at = text.indexOf("@", i);
  if (at !== -1 && at < end) {
    const userEnd = scanRun(text, i, at, USER);
    if (userEnd === i || userEnd !== at) return false;
    i = at + 1;
  }
  const hostEnd = scanHost(text, i, end);
  if (hostEnd === -1) return false;
  i = hostEnd;
  if (text.charCodeAt(i) === COLON && i < end) {
    const portStart = i + 1;
    i = portStart;
    while (i < end && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (Number.isNaN(parsePort(text, portStart, i))) return false;
  }
  if (i < end && text.charCodeAt(i) === SEMI) {
    const nameStart = i + 1;
    i = scanRun(text, nameStart, end, PARAM);
    if (i === nameStart) return false;
    if (i < end && text.charCodeAt(i) === EQUAL) {
      const valueStart = i + 1;
      i = scanRun(text, valueStart, end, PARAM);
      if (i === valueStart) return false;
    }
  }
  return i === end;
}

/** Index after a quoted display name at `i` with no quoted-pair, or -1. */
function afterPlainQuotedString(text: string, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH || (c < SP && c !== HTAB) || c === DEL) return -1;
  }
  return -1;
}

/**
 * text[start, end), trimmed of white space, is name-addr with a plain SIP URI
 * (see isPlainSipUri) and at most one header parameter whose value is a token
 * or host: `"Alice" <sip:alice@example.com>;tag=1928301774`, `Bob
 * <sip:bob@example.com>`. Such text parseNameAddr accepts.
 */
export function isPlainNameAddr(text: string, start: number, end: number): boolean {
  let i = start;
  const first = text.charCodeAt(i);
  if (first === QUOTE) {
    i = afterPlainQuotedString(text, i, end);
    if (i === -1) return false;
    while (i < end && (text.charCodeAt(i) === SP || text.charCodeAt(i) === HTAB)) i++;
  } else if (first !== LAQUOT) {
    while (i < end) {
      const c = text.charCodeAt(i);
      if (!isCharIn(c, TOKEN) && c !== SP && c !== HTAB) break;
      i++;
    }
  }
  if (i >= end || text.charCodeAt(i) !== LAQUOT) return false;
  const close = text.indexOf(">", i + 1);
  if (close === -1 || close >= end || !isPlainSipUri(text, i + 1, close)) return false;
  i = close + 1;
  if (i < end && text.charCodeAt(i) === SEMI) {
    const nameStart = i + 1;
    i = scanRun(text, nameStart, end, TOKEN);
    if (i === nameStart) return false;
    if (i < end && text.charCodeAt(i) === EQUAL) {
      const valueStart = i + 1;
      i = scanRun(text, valueStart, end, GEN_VALUE);
      if (i === valueStart) return false;
    }
  }
  return i === end;
}
