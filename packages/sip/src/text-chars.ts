// Character classes of the SIP grammar (RFC 3261 §25.1) and small text helpers
// shared by the parsers. Strings handled here are octet strings: the message head
// is decoded as latin1, so each character is one byte of the wire format.

/** token (RFC 3261 §25.1): alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" */
export const TOKEN = 1;
/** unreserved: alphanum / mark ("-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")") */
const UNRESERVED = 2;
/** user: unreserved / user-unreserved ("&" / "=" / "+" / "$" / "," / ";" / "?" / "/") */
export const USER = 4;
/** password: unreserved / "&" / "=" / "+" / "$" / "," */
export const PASSWORD = 8;
/** paramchar: unreserved / param-unreserved ("[" / "]" / "/" / ":" / "&" / "+" / "$") */
export const PARAM = 16;
/** hname / hvalue: unreserved / hnv-unreserved ("[" / "]" / "/" / "?" / ":" / "+" / "$") */
export const HNV = 32;
/** word (Call-ID): alphanum and - . ! % * _ + ` ' ~ ( ) < > : \ " / [ ] ? { } */
export const WORD = 64;
/** uric (absoluteURI opaque part): reserved / unreserved */
export const URIC = 128;
/** gen-value as token or host: token / ":" / "[" / "]" */
export const GEN_VALUE = 256;

const CLASSES = new Uint16Array(256);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    CLASSES[c] = (CLASSES[c] ?? 0) | flag;
  }
}

const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const MARK = "-_.!~*'()";
mark(ALPHANUM, TOKEN | UNRESERVED | USER | PASSWORD | PARAM | HNV | WORD | URIC | GEN_VALUE);
mark("-.!%*_+`'~", TOKEN | GEN_VALUE);
mark(MARK, UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC);
mark("&=+$,;?/", USER);
mark("&=+$,", PASSWORD);
mark("[]/:&+$", PARAM);
mark("[]/?:+$", HNV);
mark("-.!%*_+`'~()<>:\\\"/[]?{}", WORD);
mark(";/?:@&=+$,", URIC);
mark(":[]", GEN_VALUE);

/** True when the character code `c` belongs to the class `flag`. */
export function isCharIn(c: number, flag: number): boolean {
  return ((CLASSES[c] ?? 0) & flag) !== 0;
}

/** True when `text[start, end)` is non-empty and made only of `flag` characters. */
export function isAllIn(text: string, flag: number, start = 0, end = text.length): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    if (((CLASSES[text.charCodeAt(i)] ?? 0) & flag) === 0) return false;
  }
  return true;
}

export function isToken(text: string): boolean {
  return isAllIn(text, TOKEN);
}

const SP = 0x20;
const HTAB = 0x09;

/** SP or HTAB: the white space left inside a header value once it is unfolded. */
export function isWsp(c: number): boolean {
  return c === SP || c === HTAB;
}

/** Index of the first non-SP/HTAB character at or after `i` (at most `end`). */
export function skipWsp(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SP && c !== HTAB) break;
    i++;
  }
  return i;
}

/** Index just after the last non-SP/HTAB character before `end` (at least `start`). */
export function trimWspEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== SP && c !== HTAB) break;
    end--;
  }
  return end;
}

/** Trims SP and HTAB only: String#trim would also eat octets such as 0xA0 inside UTF-8 text. */
export function trimWsp(text: string): string {
  const start = skipWsp(text, 0, text.length);
  const end = trimWspEnd(text, start, text.length);
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** True when text[at, at + 3) is an escape: "%" HEXDIG HEXDIG (RFC 3261 §25.1). */
export function isEscapeAt(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 0x25 &&
    hexValue(text.charCodeAt(at + 1)) >= 0 &&
    hexValue(text.charCodeAt(at + 2)) >= 0
  );
}

/** Decodes %HH escapes; every "%" in the input must start one (see isEscapeAt). */
export function unescapeOctets(text: string): string {
  if (text.indexOf("%") === -1) return text;
  let out = "";
  let last = 0;
  for (let i = text.indexOf("%"); i !== -1; i = text.indexOf("%", last)) {
    out += text.slice(last, i);
    out += String.fromCharCode(
      hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2)),
    );
    last = i + 3;
  }
  return out + text.slice(last);
}

const HEX = "0123456789ABCDEF";

/** %-escapes every character of `text` that is not in `flag` (RFC 3261 §19.1.2). */
export function escapeOctets(text: string, flag: number): string {
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 256 && ((CLASSES[c] ?? 0) & flag) !== 0) continue;
    const octet = c & 0xff;
    out += `${text.slice(last, i)}%${HEX[octet >> 4]}${HEX[octet & 15]}`;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Text as the octet string of its UTF-8 encoding, the form header values take
 * (RFC 3261 §7.3.1: TEXT-UTF8): `utf8Octets("Zoë")` is "Zo\u00c3\u00ab".
 */
export function utf8Octets(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** Characters above U+00FF: not octets, so not part of an octet string. */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** Throws RangeError when `text` is not an octet string (holds a character above U+00FF). */
export function checkOctets(text: string, what: string): void {
  if (BEYOND_LATIN1.test(text)) {
    throw new RangeError(`${what} holds characters above U+00FF: pass text through utf8Octets()`);
  }
}

/** Lower-cases ASCII letters, returning `text` itself when it has no upper-case letter. */
export function lowerAscii(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return text.toLowerCase();
  }
  return text;
}

/** Upper-cases ASCII letters, returning `text` itself when it has no lower-case letter. */
export function upperAscii(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return text.toUpperCase();
  }
  return text;
}
