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

/**
 * Checks the four dec-octets (0-255, no leading zeros) of a dotted-quad
 * text[start, end) already known to hold only digits and exactly three dots.
 */
function isIpv4(text: string, start: number, end: number): boolean {
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? DOT : text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || value > 255) return false;
      value = 0;
      digits = 0;
    } else {
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 0x30);
      digits++;
    }
  }
  return true;
}

/**
 * Scans a host (RFC 3261 §25.1) starting at `start` and returns the index just
 * after it, or -1 when the text there is not a valid host. hostname: labels of
 * letters, digits, "-" (not at either end of a label) and "_" (seen in
 * practice), the top label starting with a letter, one trailing dot allowed;
 * IPv4address: a dotted quad; IPv6reference: "[" IPv6address "]".
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
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (i === labelStart || text.charCodeAt(i - 1) === HYPHEN) return -1;
      labelStart = i + 1;
      dots++;
    } else if (c >= 0x30 && c <= 0x39) {
      if (i === labelStart) topLetter = false;
    } else if (isLetter(c) || c === UNDERSCORE) {
      if (i === labelStart) topLetter = c !== UNDERSCORE;
      allNumeric = false;
    } else if (c === HYPHEN) {
      if (i === labelStart) return -1;
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
  if (allNumeric) return dots === 3 && isIpv4(text, start, i) ? i : -1;
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
