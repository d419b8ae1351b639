// The auth-param list of a Digest header value, read and written:
//   challenge   = "Digest" LWS digest-cln *(COMMA digest-cln)      (RFC 3261 §25.1)
//   auth-param  = token BWS "=" BWS ( token / quoted-string )     (RFC 7235 §2.1)
// Parameter names are case-insensitive (RFC 7235 §2.1) and returned in lower case;
// values are returned unquoted and unescaped. Also the small checks both the
// credentials and the challenge parsers make on the resulting map.

import { DigestParseError } from "./digest-error.js";

// RFC 7230 §3.2.6 tchar, a superset of the RFC 3261 §25.1 token characters.
const TOKEN_CHAR = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~0123456789") TOKEN_CHAR[char.charCodeAt(0)] = 1;
for (let code = 0x41; code <= 0x5a; code++) {
  TOKEN_CHAR[code] = 1; // A-Z
  TOKEN_CHAR[code + 0x20] = 1; // a-z
}

const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

/** Parameter names echoed in reasons are tokens; long ones are cut. */
const MAX_NAME_IN_REASON = 32;

function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN_CHAR[code] === 1;
}

// RFC 3261 §7.3.1: a folded header value may still hold CRLF before whitespace.
function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB || code === 0x0d || code === 0x0a;
}

/** Control characters other than HTAB (RFC 5234 CTL); never allowed inside a value. */
function isControl(code: number): boolean {
  return (code < SPACE && code !== TAB) || code === 0x7f;
}

/**
 * RFC 3261 §25.1 allows a token here; lenient UAs also send unquoted values with
 * "/", ":", "@" or "=", so any visible ASCII except DQUOTE, "," and "\" is accepted.
 */
function isUnquotedValueChar(code: number): boolean {
  return code > SPACE && code < 0x7f && code !== QUOTE && code !== COMMA && code !== BACKSLASH;
}

function nameForReason(name: string): string {
  return name.length > MAX_NAME_IN_REASON ? `${name.slice(0, MAX_NAME_IN_REASON)}…` : name;
}

function controlCharacterIn(name: string): DigestParseError {
  return new DigestParseError("malformed", `control character in ${nameForReason(name)}`);
}

function skipWhitespace(text: string, index: number): number {
  let at = index;
  while (at < text.length && isWhitespace(text.charCodeAt(at))) at++;
  return at;
}

function skipToken(text: string, index: number): number {
  let at = index;
  while (at < text.length && isTokenChar(text.charCodeAt(at))) at++;
  return at;
}

/** Reads a quoted-string whose opening DQUOTE is at `start`; returns its value and the index after it. */
function readQuotedString(text: string, start: number, name: string): [string, number] {
  let value = "";
  let segmentStart = start + 1;
  let at = segmentStart;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return [value + text.slice(segmentStart, at), at + 1];
    if (isControl(code)) throw controlCharacterIn(name);
    if (code === BACKSLASH) {
      // RFC 3261 §25.1 quoted-pair: "\" followed by the character it stands for.
      if (at + 1 >= text.length) break;
      if (isControl(text.charCodeAt(at + 1))) throw controlCharacterIn(name);
      value += text.slice(segmentStart, at);
      segmentStart = at + 1;
      at += 2;
      continue;
    }
    at++;
  }
  throw new DigestParseError("malformed", `unterminated quoted string in ${nameForReason(name)}`);
}

/**
 * Parses a WWW-Authenticate, Proxy-Authenticate, Authorization or
 * Proxy-Authorization value of the Digest scheme into its parameters.
 * @throws DigestParseError for another scheme, bad syntax or a repeated parameter.
 */
export function parseDigestParams(headerValue: string): Map<string, string> {
  const text = headerValue;
  const schemeStart = skipWhitespace(text, 0);
  const schemeEnd = skipToken(text, schemeStart);
  if (schemeEnd === schemeStart) throw new DigestParseError("malformed", "missing scheme");
  // RFC 7235 §2.1: the auth-scheme is case-insensitive.
  if (text.slice(schemeStart, schemeEnd).toLowerCase() !== "digest") {
    throw new DigestParseError("not-digest", "not the Digest scheme");
  }

  const params = new Map<string, string>();
  let at = schemeEnd;
  while (true) {
    at = skipWhitespace(text, at);
    if (at >= text.length) break;
    // RFC 7230 §7: recipients accept and ignore empty list elements.
    if (text.charCodeAt(at) === COMMA) {
      at++;
      continue;
    }
    const nameEnd = skipToken(text, at);
    if (nameEnd === at) {
      throw new DigestParseError("malformed", `unexpected character at offset ${at}`);
    }
    const name = text.slice(at, nameEnd).toLowerCase();
    at = skipWhitespace(text, nameEnd);
    if (text.charCodeAt(at) !== EQUALS) {
      throw new DigestParseError("malformed", `expected "=" after ${nameForReason(name)}`);
    }
    at = skipWhitespace(text, at + 1);

    let value: string;
    if (text.charCodeAt(at) === QUOTE) {
      [value, at] = readQuotedString(text, at, name);
    } else {
      const valueStart = at;
      while (at < text.length && isUnquotedValueChar(text.charCodeAt(at))) at++;
      if (at === valueStart) {
        throw new DigestParseError("malformed", `missing value of ${nameForReason(name)}`);
      }
      value = text.slice(valueStart, at);
    }

    at = skipWhitespace(text, at);
    if (at < text.length && text.charCodeAt(at) !== COMMA) {
      throw new DigestParseError("malformed", `expected "," after ${nameForReason(name)}`);
    }
    // RFC 7616 §3.3/§3.4: each directive appears at most once.
    if (params.has(name)) {
      throw new DigestParseError(
        "duplicate-parameter",
        `duplicate parameter ${nameForReason(name)}`,
      );
    }
    params.set(name, value);
  }
  if (params.size === 0) throw new DigestParseError("malformed", "no parameters");
  return params;
}

/** One parameter to write: its name, value, and whether the value goes in a quoted-string. */
export type DigestParamOut = readonly [name: string, value: string, form: "quoted" | "token"];

/**
 * Writes `value` as a quoted-string, escaping DQUOTE and backslash (RFC 3261 §25.1).
 * @throws RangeError when the value holds a control character (CR or LF would split the header).
 */
export function quoteString(value: string): string {
  let quoted = '"';
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    if (isControl(code)) throw new RangeError("a Digest parameter value holds a control character");
    if (code === QUOTE || code === BACKSLASH) quoted += "\\";
    quoted += value[at];
  }
  return `${quoted}"`;
}

/** Writes a Digest header value: `Digest name="value", name=token, …`. */
export function formatDigestHeader(params: readonly DigestParamOut[]): string {
  const parts = params.map(([name, value, form]) =>
    form === "quoted" ? `${name}=${quoteString(value)}` : `${name}=${value}`,
  );
  return `Digest ${parts.join(", ")}`;
}

/** The value of a parameter the header cannot do without. */
export function requireParam(params: ReadonlyMap<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined) {
    throw new DigestParseError("missing-parameter", `missing parameter ${name}`);
  }
  return value;
}

/** RFC 7616 §3.4.4: with userhash=true the username is H(username:realm), which is not offered here. */
export function rejectUserhash(params: ReadonlyMap<string, string>): void {
  if (params.get("userhash")?.toLowerCase() === "true") {
    throw new DigestParseError("unsupported-userhash", "userhash is not supported");
  }
}

/** The parameters whose names are not in `known`. */
export function otherParams(
  params: ReadonlyMap<string, string>,
  known: ReadonlySet<string>,
): Map<string, string> {
  const others = new Map<string, string>();
  for (const [name, value] of params) {
    if (!known.has(name)) others.set(name, value);
  }
  return others;
}
