// SIP and SIPS URIs (RFC 3261 §19.1, §25.1), TEL URIs (RFC 3966) and, so that
// messages naming other schemes still parse (RFC 4475 §3.3.2-3.3.4), any
// absoluteURI kept as scheme + opaque text.
import type { SipUri } from "./message.js";
import { fail } from "./parse-error.js";
import { parsePort, scanHost } from "./parse-host.js";
import {
  escapeOctets,
  HNV,
  isCharIn,
  isEscapeAt,
  lowerAscii,
  PARAM,
  PASSWORD,
  URIC,
  USER,
  unescapeOctets,
} from "./text-chars.js";
import { EMPTY_PARAMS, paramName } from "./value-cursor.js";

const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

/** "*", "#" and the visual separators "-", ".", "(", ")". */
const TEL_SEPARATORS = [0x2a, 0x23, 0x2d, 0x2e, 0x28, 0x29];

const COLON = 0x3a;
const SEMI = 0x3b;
const QUESTION = 0x3f;
const EQUAL = 0x3d;
const AMPERSAND = 0x26;

/** Index of the first character at or after `i` that is neither `flag` nor part of a %HH escape. */
function scanEscaped(text: string, i: number, flag: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (!isEscapeAt(text, i)) fail("Bad escape in URI");
      i += 3;
    } else if (isCharIn(c, flag)) {
      i++;
    } else {
      break;
    }
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSchemeChar(c: number, first: boolean): boolean {
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x7a) return true;
  if (first) return false;
  return isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/** uri-parameters = *( ";" uri-parameter ), starting at `i`; returns the params and where they end. */
function scanUriParams(
  text: string,
  i: number,
  into: { params: ReadonlyMap<string, string | null> },
): number {
  let params: Map<string, string | null> | undefined;
  while (text.charCodeAt(i) === SEMI) {
    const nameStart = i + 1;
    i = scanEscaped(text, nameStart, PARAM);
    if (i === nameStart) fail("Bad URI parameter");
    const name = paramName(unescapeOctets(text.slice(nameStart, i)));
    let value: string | null = null;
    if (text.charCodeAt(i) === EQUAL) {
      const valueStart = i + 1;
      i = scanEscaped(text, valueStart, PARAM);
      if (i === valueStart) fail("Bad URI parameter");
      value = unescapeOctets(text.slice(valueStart, i));
    }
    params ??= new Map();
    // RFC 3261 §19.1.1: a parameter name MUST NOT appear more than once.
    if (params.has(name)) fail("Duplicate URI parameter");
    params.set(name, value);
  }
  into.params = params ?? EMPTY_PARAMS;
  return i;
}

/** headers = "?" header *( "&" header ), header = hname "=" hvalue. */
function scanUriHeaders(text: string, i: number): ReadonlyMap<string, string> {
  if (text.charCodeAt(i) !== QUESTION) return EMPTY_HEADERS;
  const headers = new Map<string, string>();
  do {
    const nameStart = i + 1;
    i = scanEscaped(text, nameStart, HNV);
    if (i === nameStart || text.charCodeAt(i) !== EQUAL) fail("Bad URI header");
    const valueStart = i + 1;
    i = scanEscaped(text, valueStart, HNV);
    headers.set(
      unescapeOctets(text.slice(nameStart, valueStart - 1)),
      unescapeOctets(text.slice(valueStart, i)),
    );
  } while (text.charCodeAt(i) === AMPERSAND);
  if (i !== text.length) fail("Bad URI");
  return headers;
}

function makeUri(
  scheme: string,
  user: string | undefined,
  password: string | undefined,
  host: string,
  port: number | undefined,
  params: ReadonlyMap<string, string | null>,
  headers: ReadonlyMap<string, string>,
  opaque: string | undefined,
): SipUri {
  return { scheme, user, password, host, port, params, headers, opaque };
}

function parseSipUri(text: string, scheme: "sip" | "sips", i: number): SipUri {
  let user: string | undefined;
  let password: string | undefined;
  const at = text.indexOf("@", i);
  if (at !== -1) {
    // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
    const userEnd = scanEscaped(text, i, USER);
    if (userEnd === i) fail("Bad URI user");
    user = unescapeOctets(text.slice(i, userEnd));
    i = userEnd;
    if (text.charCodeAt(i) === COLON) {
      const passwordEnd = scanEscaped(text, i + 1, PASSWORD);
      password = unescapeOctets(text.slice(i + 1, passwordEnd));
      i = passwordEnd;
    }
    if (i !== at) fail("Bad URI user");
    i++;
  }
  const hostEnd = scanHost(text, i);
  if (hostEnd === -1) fail("Bad URI host");
  const host = lowerAscii(text.slice(i, hostEnd));
  i = hostEnd;
  let port: number | undefined;
  if (text.charCodeAt(i) === COLON) {
    let portEnd = i + 1;
    while (isDigit(text.charCodeAt(portEnd))) portEnd++;
    port = parsePort(text, i + 1, portEnd);
    if (Number.isNaN(port)) fail("Bad URI port");
    i = portEnd;
  }
  const slot = { params: EMPTY_PARAMS };
  i = scanUriParams(text, i, slot);
  const headers = scanUriHeaders(text, i);
  if (headers === EMPTY_HEADERS && i !== text.length) fail("Bad URI");
  return makeUri(scheme, user, password, host, port, slot.params, headers, undefined);
}

/** telephone-subscriber digits: global (+...) or local, with visual separators (RFC 3966 §3). */
function isTelNumber(text: string): boolean {
  let digits = 0;
  for (let i = text.charCodeAt(0) === 0x2b ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    if (isDigit(c) || (lower >= 0x61 && lower <= 0x66)) digits++;
    else if (!TEL_SEPARATORS.includes(c)) return false;
  }
  return digits > 0;
}

function parseTelUri(text: string, i: number): SipUri {
  let end = i;
  while (end < text.length && text.charCodeAt(end) !== SEMI) end++;
  const number = text.slice(i, end);
  if (!isTelNumber(number)) fail("Bad TEL URI");
  const slot = { params: EMPTY_PARAMS };
  if (scanUriParams(text, end, slot) !== text.length) fail("Bad TEL URI");
  return makeUri("tel", number, undefined, "", undefined, slot.params, EMPTY_HEADERS, undefined);
}

/**
 * Parses a URI as it appears in a Request-URI or inside <...>. User, password,
 * parameters and headers are %-decoded; the host is lower-cased. A URI of
 * another scheme keeps its text after the colon in `opaque`.
 */
export function parseUri(text: string): SipUri {
  // Fast path for the common lower-case "sip:".
  if (text.charCodeAt(3) === COLON && text.startsWith("sip")) return parseSipUri(text, "sip", 4);
  let colon = 0;
  while (colon < text.length && isSchemeChar(text.charCodeAt(colon), colon === 0)) colon++;
  if (colon === 0 || text.charCodeAt(colon) !== COLON) fail("Bad URI scheme");
  const scheme = lowerAscii(text.slice(0, colon));
  if (scheme === "sip" || scheme === "sips") return parseSipUri(text, scheme, colon + 1);
  if (scheme === "tel") return parseTelUri(text, colon + 1);
  // absoluteURI = scheme ":" ( hier-part / opaque-part ): uric characters and escapes.
  if (scanEscaped(text, colon + 1, URIC) !== text.length || colon + 1 === text.length) {
    fail("Bad URI");
  }
  return makeUri(
    scheme,
    undefined,
    undefined,
    "",
    undefined,
    EMPTY_PARAMS,
    EMPTY_HEADERS,
    text.slice(colon + 1),
  );
}

function formatParams(params: ReadonlyMap<string, string | null>): string {
  let out = "";
  for (const [name, value] of params) {
    out += `;${escapeOctets(name, PARAM)}`;
    if (value !== null) out += `=${escapeOctets(value, PARAM)}`;
  }
  return out;
}

/** Writes a URI in its canonical text form; parseUri(formatUri(u)) gives back an equal URI. */
export function formatUri(uri: SipUri): string {
  if (uri.scheme === "tel") return `tel:${uri.user ?? ""}${formatParams(uri.params)}`;
  if (uri.scheme !== "sip" && uri.scheme !== "sips") return `${uri.scheme}:${uri.opaque ?? ""}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    out += escapeOctets(uri.user, USER);
    if (uri.password !== undefined) out += `:${escapeOctets(uri.password, PASSWORD)}`;
    out += "@";
  }
  out += uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += formatParams(uri.params);
  let separator = "?";
  for (const [name, value] of uri.headers) {
    out += `${separator}${escapeOctets(name, HNV)}=${escapeOctets(value, HNV)}`;
    separator = "&";
  }
  return out;
}
