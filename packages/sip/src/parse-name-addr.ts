// name-addr / addr-spec with header parameters: From, To, Contact, Route,
// Record-Route, Path, Reply-To, … (RFC 3261 §20, §25.1).
import type { NameAddr } from "./message.js";
import { fail } from "./parse-error.js";
import { parseUri } from "./parse-uri.js";
import { isCharIn, isWsp, TOKEN, trimWspEnd } from "./text-chars.js";
import { formatParams, quote, ValueCursor } from "./value-cursor.js";

const QUOTE = 0x22;
const LAQUOT = 0x3c;
const RAQUOT = 0x3e;
const COMMA = 0x2c;
const SEMI = 0x3b;

/**
 * display-name = *(token LWS) / quoted-string. Returns the token display name
 * when the cursor is on tokens followed by "<", leaving the cursor on the "<";
 * otherwise leaves the cursor where it was and returns undefined.
 */
function readTokenDisplayName(cursor: ValueCursor): string | undefined {
  const text = cursor.text;
  const start = cursor.pos;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isCharIn(c, TOKEN) && !isWsp(c)) break;
    i++;
  }
  if (i === start || text.charCodeAt(i) !== LAQUOT) return undefined;
  cursor.pos = i;
  return text.slice(start, trimWspEnd(text, start, i));
}

/** Reads one name-addr or addr-spec and its parameters. */
function readNameAddr(cursor: ValueCursor): NameAddr {
  cursor.skipWsp();
  const text = cursor.text;
  let displayName: string | undefined;
  if (cursor.peek() === QUOTE) {
    displayName = cursor.quoted();
    cursor.skipWsp();
    if (cursor.peek() !== LAQUOT) fail("Bad name-addr");
  } else if (cursor.peek() !== LAQUOT) {
    displayName = readTokenDisplayName(cursor);
  }
  let uriText: string;
  if (cursor.peek() === LAQUOT) {
    const close = text.indexOf(">", cursor.pos + 1);
    if (close === -1) fail("Unterminated <");
    uriText = text.slice(cursor.pos + 1, close);
    cursor.pos = close + 1;
  } else {
    // addr-spec: RFC 3261 §20: a URI with a comma, semicolon or question mark
    // must be in angle brackets, so it ends at the first of those or white space.
    const start = cursor.pos;
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === SEMI || c === COMMA || isWsp(c)) break;
      if (c === 0x3f || c === LAQUOT || c === RAQUOT || c === QUOTE) fail("Bad addr-spec");
      i++;
    }
    uriText = text.slice(start, i);
    cursor.pos = i;
  }
  const uri = parseUri(uriText);
  const params = cursor.params("header");
  return { displayName, uri, uriText, params };
}

/** Parses a header value holding exactly one name-addr or addr-spec (From, To, Refer-To, …). */
export function parseNameAddr(text: string): NameAddr {
  const cursor = new ValueCursor(text);
  const value = readNameAddr(cursor);
  cursor.skipWsp();
  if (!cursor.atEnd) fail("Bad name-addr");
  return value;
}

/** Parses a comma-separated list of name-addrs (Route, Record-Route, Contact, Path) into `into`. */
export function parseNameAddrList(text: string, into: NameAddr[] = []): NameAddr[] {
  const cursor = new ValueCursor(text);
  do {
    into.push(readNameAddr(cursor));
  } while (cursor.eatSeparator(COMMA));
  cursor.skipWsp();
  if (!cursor.atEnd) fail("Bad name-addr");
  return into;
}

/** Writes a name-addr: display name (quoted), <URI>, then the parameters. */
export function formatNameAddr(value: NameAddr): string {
  const name = value.displayName === undefined ? "" : `${quote(value.displayName)} `;
  return `${name}<${value.uriText}>${formatParams(value.params)}`;
}
