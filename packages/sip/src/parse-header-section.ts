// Splits a header section into header fields (RFC 3261 §7.3): one scan that
// records each field's name, unfolded value and byte range; values are not
// interpreted here.
import { HeaderLine } from "./header-line.js";
import { headerKey } from "./header-names.js";
import { fail } from "./parse-error.js";
import { isWsp, skipWsp, trimWsp, trimWspEnd } from "./text-chars.js";

const CR = 0x0d;

/** RFC 3261 §7.3.1: folding LWS, with the white space around the line break, becomes one SP. */
const FOLD = /[ \t]*\r\n[ \t]+/g;

/**
 * Index of the CRLF ending the physical line that starts at `start`. A lone CR
 * or LF inside a line is malformed (lines end in CRLF, RFC 3261 §7).
 */
function lineEnd(head: string, start: number): number {
  const lf = head.indexOf("\n", start);
  if (lf <= start || head.charCodeAt(lf - 1) !== CR || head.indexOf("\r", start) !== lf - 1) {
    fail("Bad line ending");
  }
  return lf - 1;
}

/**
 * Splits `head` (the header section decoded as latin1) from `pos` into header
 * fields. `head` ends with the CRLF of the last field: the empty line is not
 * part of it. `head` was decoded from `src` starting at `base`, so that each
 * field can be written back from its bytes.
 */
export function scanHeaderSection(
  head: string,
  pos: number,
  src: Buffer,
  base: number,
  maxHeaders: number,
): HeaderLine[] {
  const lines: HeaderLine[] = [];
  const length = head.length;
  while (pos < length) {
    if (isWsp(head.charCodeAt(pos))) fail("Bad header line");
    let end = lineEnd(head, pos);
    let folded = false;
    while (end + 2 < length && isWsp(head.charCodeAt(end + 2))) {
      end = lineEnd(head, end + 2);
      folded = true;
    }
    const colon = head.indexOf(":", pos);
    if (colon === -1 || colon > end) fail("Bad header line");
    const name = head.slice(pos, trimWspEnd(head, pos, colon));
    const key = headerKey(name);
    if (key === undefined) fail("Bad header name");
    let value: string;
    if (folded) {
      value = trimWsp(head.slice(colon + 1, end).replace(FOLD, " "));
    } else {
      const valueStart = skipWsp(head, colon + 1, end);
      value = head.slice(valueStart, trimWspEnd(head, valueStart, end));
    }
    if (lines.length === maxHeaders) fail("Too many header fields");
    lines.push(new HeaderLine(name, value, key, src, base + pos, base + end + 2));
    pos = end + 2;
  }
  return lines;
}
