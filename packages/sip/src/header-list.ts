// Comma-separated header values (RFC 3261 §7.3.1): commas inside quoted strings
// and inside <...> do not separate values.
import { trimWsp } from "./text-chars.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LAQUOT = 0x3c;
const RAQUOT = 0x3e;
const COMMA = 0x2c;

/** Index of the first separating comma in `value` at or after `from`, or -1. */
export function findListComma(value: string, from = 0): number {
  const comma = value.indexOf(",", from);
  if (comma === -1) return -1;
  const quote = value.indexOf('"', from);
  const angle = value.indexOf("<", from);
  if ((quote === -1 || quote > comma) && (angle === -1 || angle > comma)) return comma;
  let inQuotes = false;
  let inAngles = false;
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuotes) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inQuotes = false;
    } else if (inAngles) {
      if (c === RAQUOT) inAngles = false;
    } else if (c === QUOTE) {
      inQuotes = true;
    } else if (c === LAQUOT) {
      inAngles = true;
    } else if (c === COMMA) {
      return i;
    }
  }
  return -1;
}

/** Splits a list value into its elements, trimmed; empty elements are left out. */
export function splitList(value: string, into: string[] = []): string[] {
  let start = 0;
  for (;;) {
    const comma = findListComma(value, start);
    const item = trimWsp(comma === -1 ? value.slice(start) : value.slice(start, comma));
    if (item.length > 0) into.push(item);
    if (comma === -1) return into;
    start = comma + 1;
  }
}
