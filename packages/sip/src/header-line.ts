import { headerKey } from "./header-names.js";
import type { HeaderField } from "./message.js";
import { checkOctets, trimWsp } from "./text-chars.js";

/**
 * One header field of a message. A field that came off the wire remembers where
 * its octets are: `src` is the header section as read (decoded as latin1, one
 * character per octet) and `src[start, end)` the field, continuation lines and
 * CRLF included; so an untouched field is written out byte for byte. A field
 * made by code has no `src` and is written as `name: value CRLF`.
 */
export class HeaderLine implements HeaderField {
  constructor(
    /** The name as written. */
    readonly name: string,
    /** The value, unfolded and trimmed (an octet string). */
    readonly value: string,
    /** headerKey(name): full name in lower case. */
    readonly key: string,
    readonly src: string | undefined,
    readonly start: number,
    readonly end: number,
    /** Where `value` stands in `src`: src[valueStart, valueEnd); -1 when it does not (folded). */
    readonly valueStart: number,
    readonly valueEnd: number,
  ) {}

  /**
   * The same field with a new value, keeping the name as written. The value
   * must already be a valid octet string: no CR, LF or NUL.
   */
  withValue(value: string): HeaderLine {
    return new HeaderLine(this.name, value, this.key, undefined, 0, 0, -1, -1);
  }
}

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/**
 * A header field made by code; the value is trimmed. Refused with RangeError:
 * a name that is not a token, a value that is not an octet string (see
 * utf8Octets) or that holds CR, LF or NUL (which would let text inject fields).
 */
export function newHeaderLine(name: string, value: string): HeaderLine {
  const key = headerKey(name);
  if (key === undefined) throw new RangeError(`not a header field name: ${JSON.stringify(name)}`);
  let beyondOctets = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === CR || c === LF || c === NUL) {
      throw new RangeError(`header field ${name} value contains CR, LF or NUL`);
    }
    if (c > 0xff) beyondOctets = true;
  }
  if (beyondOctets) checkOctets(value, `header field ${name}`);
  return new HeaderLine(name, trimWsp(value), key, undefined, 0, 0, -1, -1);
}

/** A HeaderLine for any HeaderField, reusing it when it already is one. */
export function toHeaderLine(field: HeaderField): HeaderLine {
  return field instanceof HeaderLine ? field : newHeaderLine(field.name, field.value);
}
