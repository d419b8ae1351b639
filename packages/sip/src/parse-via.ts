// Via (RFC 3261 §20.42, §25.1; rport: RFC 3581 §3).
import type { Via } from "./message.js";
import { fail } from "./parse-error.js";
import { parsePort, scanHost } from "./parse-host.js";
import { readViaParams } from "./parse-via-params.js";
import { isIpAddress, isSip20Slash, readUsualVia, transportName } from "./parse-via-usual.js";
import { isCharIn, isToken, isWsp, lowerAscii, skipWsp, TOKEN, upperAscii } from "./text-chars.js";
import { ValueCursor } from "./value-cursor.js";
import { formatVia, SIP_2_0, type ViaFields, ViaValue } from "./via-value.js";

export { createVia, formatVia, type ViaSpec } from "./via-value.js";

const SLASH = 0x2f;
const COLON = 0x3a;
const COMMA = 0x2c;
const SEMI = 0x3b;

function isHost(text: string): boolean {
  return text.length > 0 && scanHost(text, 0) === text.length;
}

/** Reads a decimal integer in 0..max from a whole string; NaN when malformed. */
function boundedInteger(text: string, max: number): number {
  if (text.length === 0 || text.length > 5) return Number.NaN;
  const value = parsePort(text, 0, text.length);
  return value <= max ? value : Number.NaN;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ), where
 * sent-protocol = protocol-name SLASH protocol-version SLASH transport.
 */
function readVia(cursor: ValueCursor): Via {
  cursor.skipWsp();
  let protocol = SIP_2_0;
  if (cursor.pos + 8 <= cursor.end && isSip20Slash(cursor.text, cursor.pos)) {
    cursor.pos += 8;
  } else {
    const name = cursor.token("Bad Via protocol");
    if (!cursor.eatSeparator(SLASH)) fail("Bad Via protocol");
    const version = cursor.token("Bad Via protocol");
    if (!cursor.eatSeparator(SLASH)) fail("Bad Via protocol");
    protocol = `${upperAscii(name)}/${version}`;
  }
  const text = cursor.text;
  const length = cursor.end;
  const transportStart = cursor.pos;
  let i = transportStart;
  while (i < length && isCharIn(text.charCodeAt(i), TOKEN)) i++;
  if (i === transportStart) fail("Bad Via transport");
  const transport = transportName(text, transportStart, i);
  if (!isWsp(cursor.at(i))) fail("Bad Via");
  i = skipWsp(text, i, length);
  const hostEnd = scanHost(text, i, length);
  if (hostEnd === -1) fail("Bad Via sent-by");
  const host = lowerAscii(text.slice(i, hostEnd));
  i = hostEnd;
  let port: number | undefined;
  const colon = skipWsp(text, i, length);
  if (cursor.at(colon) === COLON) {
    const start = skipWsp(text, colon + 1, length);
    i = start;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    port = parsePort(text, start, i);
    if (Number.isNaN(port)) fail("Bad Via port");
  }
  cursor.pos = i;
  const paramsStart = i;
  const { branch, received, rport: rportText, ttl, maddr } = readViaParams(cursor);
  if (branch === null || (branch !== undefined && !isToken(branch))) fail("Bad Via branch");
  if (received === null || (received !== undefined && !isIpAddress(received)))
    fail("Bad Via received");
  let rport: number | null | undefined;
  if (rportText !== undefined) {
    rport = rportText === null ? null : parsePort(rportText, 0, rportText.length);
    if (Number.isNaN(rport)) fail("Bad Via rport");
  }
  if (ttl === null || (ttl !== undefined && Number.isNaN(boundedInteger(ttl, 255))))
    fail("Bad Via ttl");
  if (maddr === null || (maddr !== undefined && !isHost(maddr))) fail("Bad Via maddr");
  const fields: ViaFields = {
    protocol,
    transport,
    host,
    port,
    branch: branch ?? undefined,
    received: received ?? undefined,
    rport,
  };
  return ViaValue.withParamText(fields, text, paramsStart, cursor.pos);
}

/** Parses a header value holding exactly one Via. */
export function parseVia(text: string): Via {
  const cursor = new ValueCursor(text);
  const via = readVia(cursor);
  cursor.skipWsp();
  if (!cursor.atEnd) fail("Bad Via");
  return via;
}

/** Parses a Via header value that may list several Vias, appending them to `into`. */
export function parseViaList(text: string, into: Via[] = []): Via[] {
  return readViaList(text, 0, text.length, into);
}

/** parseViaList for the value text[start, end), read where it stands. */
export function readViaList(text: string, start: number, end: number, into: Via[]): Via[] {
  let pos = start;
  for (;;) {
    pos = skipWsp(text, pos, end);
    const next = readUsualVia(text, pos, end, into);
    if (next === -1) return readGeneralViaList(text, pos, end, into);
    if (next === end) return into;
    pos = next + 1;
  }
}

/** readViaList for any spelling the grammar allows, naming the first problem. */
function readGeneralViaList(text: string, start: number, end: number, into: Via[]): Via[] {
  const cursor = new ValueCursor(text, start, end);
  do {
    into.push(readVia(cursor));
  } while (cursor.eatSeparator(COMMA));
  cursor.skipWsp();
  if (!cursor.atEnd) fail("Bad Via");
  return into;
}

/**
 * The topmost Via of a request as the receiving server must leave it, or
 * undefined when nothing changes. RFC 3261 §18.2.1: add "received" with the
 * source address when it differs from the sent-by host. RFC 3581 §4: when
 * "rport" is present without a value, set it to the source port and add
 * "received" even if the address is the same.
 */
export function viaWithSource(via: Via, address: string, port: number): Via | undefined {
  const bare = via.host.startsWith("[") ? via.host.slice(1, -1) : via.host;
  const fillRport = via.rport === null;
  if (!fillRport && bare === address.toLowerCase()) return undefined;
  const fields: ViaFields = {
    protocol: via.protocol,
    transport: via.transport,
    host: via.host,
    port: via.port,
    branch: via.branch,
    received: address,
    rport: fillRport ? port : via.rport,
  };
  return ViaValue.stamped(fields, via);
}

/** "rport" in any case at `at`. */
function isRportAt(text: string, at: number): boolean {
  return (
    (text.charCodeAt(at) | 0x20) === 0x72 &&
    (text.charCodeAt(at + 1) | 0x20) === 0x70 &&
    (text.charCodeAt(at + 2) | 0x20) === 0x6f &&
    (text.charCodeAt(at + 3) | 0x20) === 0x72 &&
    (text.charCodeAt(at + 4) | 0x20) === 0x74
  );
}

/**
 * The first valueless rport parameter in Via text: ";" SWS "rport", followed
 * by SWS and ";" or the end. Returns the index of its ";" and sets `end` to
 * the index just after "rport"; -1 when there is none.
 */
function findBareRport(text: string, found: { end: number }): number {
  for (let semi = text.indexOf(";"); semi !== -1; semi = text.indexOf(";", semi + 1)) {
    const name = skipWsp(text, semi + 1, text.length);
    if (!isRportAt(text, name)) continue;
    const after = skipWsp(text, name + 5, text.length);
    if (after === text.length || text.charCodeAt(after) === SEMI) {
      found.end = name + 5;
      return semi;
    }
  }
  return -1;
}

/**
 * The text of Via `via` (written as `text`) turned into `updated` (from
 * viaWithSource): the port goes into a valueless rport where it stands and
 * received is appended, leaving the rest of the text as written.
 */
export function viaTextWithSource(text: string, via: Via, updated: Via): string {
  let out = text;
  if (via.rport === null && typeof updated.rport === "number") {
    const found = { end: 0 };
    const semi = findBareRport(text, found);
    if (semi === -1) return formatVia(updated);
    out = `${text.slice(0, semi)};rport=${updated.rport}${text.slice(found.end)}`;
  }
  if (via.received !== undefined) return formatVia(updated);
  return `${out};received=${updated.received}`;
}
