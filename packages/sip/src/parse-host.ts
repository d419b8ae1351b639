// host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1).
import { isIPv6 } from "node:net";

const DOT = 0x2e;
const HYPHEN = 0x2d;

const UNDERSCORE = 0x5f;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** Host characters by kind (RFC 3261 §25.1 hostname, IPv4address). */
const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const DOT_CHAR = 3;
const HYPHEN_CHAR = 4;
const UNDERSCORE_CHAR = 5;
const HOST_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isLetter(c)) HOST_CHARS[c] = LETTER;
  else if (isDigit(c)) HOST_CHARS[c] = DIGIT;
}
HOST_CHARS[DOT] = DOT_CHAR;
HOST_CHARS[HYPHEN] = HYPHEN_CHAR;
HOST_CHARS[UNDERSCORE] = UNDERSCORE_CHAR;

/**
 * Scans a host (RFC 3261 §25.1) starting at `start` and returns the index just
 * after it, or -1 when the text there is not a valid host. hostname: labels of
 * letters, digits, "-" (not at either end of a label) and "_" (seen in
 * practice), the top label starting with a letter, one trailing dot allowed;
 * IPv4address: a dotted quad of dec-octets (0-255, no leading zeros), checked
 * in the same pass; IPv6reference: "[" IPv6address "]".
 */
export function scanHost(text: string, start: number, end = text.length): number {
  if (text.charCodeAt(start) === 0x5b) {
    const close = text.indexOf("]", start);
    if (close === -1 || close >= end) return -1;
    return isIPv6(text.slice(start + 1, close)) ? close + 1 : -1;
  }
  let labelStart = start;
  let dots = 0;
  let allNumeric = true;
  let topLetter = false;
  /** The value of the current label read as a dec-octet, and whether all were dec-octets. */
  let octet = 0;
  let octetsValid = true;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? (HOST_CHARS[c] as number) : OTHER;
    if (kind === LETTER) {
      if (i === labelStart) topLetter = true;
      allNumeric = false;
    } else if (kind === DIGIT) {
      if (i === labelStart) {
        topLetter = false;
        octet = c - 0x30;
      } else {
        if (octet === 0 && i === labelStart + 1) octetsValid = false;
        octet = octet * 10 + (c - 0x30);
        if (octet > 255) octetsValid = false;
      }
    } else if (kind === DOT_CHAR) {
      if (i === labelStart || text.charCodeAt(i - 1) === HYPHEN) return -1;
      labelStart = i + 1;
      dots++;
    } else if (kind === HYPHEN_CHAR) {
      if (i === labelStart) return -1;
      allNumeric = false;
    } else if (kind === UNDERSCORE_CHAR) {
      if (i === labelStart) topLetter = false;
      allNumeric = false;
    } else {
      break;
    }
  }
  if (i === start) return -1;
  if (i === labelStart) {
    // A trailing dot ends a fully qualified name; the label before it is the top one.
    return allNumeric || !topLetter ? -1 : i;
  }
  if (text.charCodeAt(i - 1) === HYPHEN) return -1;
  if (allNumeric) return dots === 3 && octetsValid ? i : -1;
  return topLetter ? i : -1;
}

/** A port: 1*DIGIT in 0..65535. NaN when malformed. */
export function parsePort(text: string, start: number, end: number): number {
  if (end <= start || end - start > 5) return Number.NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return Number.NaN;
    value = value * 10 + (c - 0x30);
  }
  return value <= 65535 ? value : Number.NaN;
}
