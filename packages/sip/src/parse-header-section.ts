// Splits a header section into header fields (RFC 3261 §7.3): one scan that
// records each field's name, unfolded value and byte range; values are not
// interpreted here.
import { HeaderLine } from "./header-line.js";
import { headerKey } from "./header-names.js";
import { fail } from "./parse-error.js";
import { isWsp, skipWsp, trimWsp, trimWspEnd } from "./text-chars.js";

const CR = 0x0d;
const LF = 0x0a;

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
 * Splits `head[pos, length)` (a header section decoded as latin1) into header
 * fields, up to the empty line or `length`, whichever comes first: `length`
 * may be the end of the last field's CRLF, or the end of decoded text holding
 * the whole head. Each field remembers its range of `head`, so that it can be
 * written back as it came. (Scanning a whole decoded string rather than a
 * slice of it keeps character reads direct.)
 */
export function scanHeaderSection(
  head: string,
  pos: number,
  length: number,
  maxHeaders: number,
): HeaderLine[] {
  const lines: HeaderLine[] = [];
  while (pos < length) {
    const first = head.charCodeAt(pos);
    // The empty line ends the header section.
    if (first === CR && head.charCodeAt(pos + 1) === LF) break;
    if (isWsp(first)) fail("Bad header line");
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
    if (lines.length === maxHeaders) fail("Too many header fields");
    if (folded) {
      const value = trimWsp(head.slice(colon + 1, end).replace(FOLD, " "));
      lines.push(new HeaderLine(name, value, key, head, pos, end + 2, -1, -1));
    } else {
      const valueStart = skipWsp(head, colon + 1, end);
      const valueEnd = trimWspEnd(head, valueStart, end);
      const value = head.slice(valueStart, valueEnd);
      lines.push(new HeaderLine(name, value, key, head, pos, end + 2, valueStart, valueEnd));
    }
    pos = end + 2;
  }
  return lines;
}
