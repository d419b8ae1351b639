// A cursor over one unfolded header value, with the pieces of the RFC 3261 §25.1
// grammar that several headers share: SWS, tokens, quoted strings and
// generic-params.
import { fail } from "./parse-error.js";
import { GEN_VALUE, isAllIn, isCharIn, lowerAscii, skipWsp, TOKEN } from "./text-chars.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SEMI = 0x3b;
const EQUAL = 0x3d;

export const EMPTY_PARAMS: ReadonlyMap<string, string | null> = new Map();

/**
 * A parameter name in lower case. The usual names come back as literals,
 * whose hash V8 keeps, so the Map operations on them need not hash again.
 */
export function paramName(name: string): string {
  switch (name) {
    case "tag":
      return "tag";
    case "branch":
      return "branch";
    case "rport":
      return "rport";
    case "received":
      return "received";
    case "lr":
      return "lr";
    case "transport":
      return "transport";
    case "expires":
      return "expires";
    case "q":
      return "q";
    case "user":
      return "user";
    case "maddr":
      return "maddr";
    default:
      return lowerAscii(name);
  }
}

/**
 * A cursor over the value text[pos, end): a whole string, or a value where it
 * stands in a decoded header section (reading a whole string is quicker than
 * reading a slice of one). Nothing at or after `end` is ever read.
 */
export class ValueCursor {
  pos: number;
  readonly end: number;

  constructor(
    readonly text: string,
    pos = 0,
    end = text.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The character code at `i`, NaN at or after the end. */
  at(i: number): number {
    return i < this.end ? this.text.charCodeAt(i) : Number.NaN;
  }

  /** The character code at the cursor, NaN at the end. */
  peek(): number {
    const pos = this.pos;
    return pos < this.end ? this.text.charCodeAt(pos) : Number.NaN;
  }

  skipWsp(): void {
    this.pos = skipWsp(this.text, this.pos, this.end);
  }

  /** Consumes SWS c SWS when c comes next (after optional white space). */
  eatSeparator(c: number): boolean {
    const save = this.pos;
    this.skipWsp();
    if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== c) {
      this.pos = save;
      return false;
    }
    this.pos++;
    this.skipWsp();
    return true;
  }

  /** Reads a run of characters of class `flag`; empty when none. */
  run(flag: number): string {
    const start = this.pos;
    const text = this.text;
    const end = this.end;
    let i = start;
    while (i < end && isCharIn(text.charCodeAt(i), flag)) i++;
    this.pos = i;
    return text.slice(start, i);
  }

  token(what: string): string {
    const value = this.run(TOKEN);
    if (value.length === 0) fail(what);
    return value;
  }

  /**
   * quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE, the cursor on the
   * opening quote. Returns the content with quoted-pairs resolved.
   */
  quoted(): string {
    const text = this.text;
    const end = this.end;
    let out = "";
    let last = this.pos + 1;
    for (let i = last; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + text.slice(last, i);
      }
      if (c === BACKSLASH) {
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
        const escaped = this.at(i + 1);
        if (!(escaped <= 0x7f) || escaped === 0x0a || escaped === 0x0d) fail("Bad quoted string");
        out += text.slice(last, i);
        last = i + 1;
        i++;
      } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
        fail("Bad quoted string");
      }
    }
    return fail("Unterminated quoted string");
  }

  /** Name (lower-cased) and value of the parameter the last nextParam read. */
  paramName = "";
  paramValue: string | null = null;

  /**
   * One `SEMI generic-param` (generic-param = token [ EQUAL gen-value ], gen-value = token /
   * host / quoted-string) into paramName and paramValue, a quoted value without its quotes.
   * False, and the cursor unmoved, when no parameter follows.
   */
  nextParam(what: string): boolean {
    const text = this.text;
    const end = this.end;
    let i = skipWsp(text, this.pos, end);
    if (i >= end || text.charCodeAt(i) !== SEMI) return false;
    i = skipWsp(text, i + 1, end);
    const nameStart = i;
    while (i < end && isCharIn(text.charCodeAt(i), TOKEN)) i++;
    if (i === nameStart) fail(`Bad ${what} parameter`);
    this.paramName = paramName(text.slice(nameStart, i));
    this.paramValue = null;
    const equal = skipWsp(text, i, end);
    if (equal < end && text.charCodeAt(equal) === EQUAL) {
      i = skipWsp(text, equal + 1, end);
      if (i < end && text.charCodeAt(i) === QUOTE) {
        this.pos = i;
        this.paramValue = this.quoted();
        i = this.pos;
      } else {
        const valueStart = i;
        while (i < end && isCharIn(text.charCodeAt(i), GEN_VALUE)) i++;
        if (i === valueStart) fail(`Bad ${what} parameter`);
        this.paramValue = text.slice(valueStart, i);
      }
    }
    this.pos = i;
    return true;
  }

  /** *( SEMI generic-param ) into a Map (see nextParam); a repeated parameter is an error. */
  params(what: string): ReadonlyMap<string, string | null> {
    let params: Map<string, string | null> | undefined;
    while (this.nextParam(what)) {
      params ??= new Map();
      if (params.has(this.paramName)) fail(`Duplicate ${what} parameter`);
      params.set(this.paramName, this.paramValue);
    }
    return params ?? EMPTY_PARAMS;
  }
}

/** quoted-string for any text: DQUOTE, with '"' and '\\' escaped, DQUOTE. */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** Writes generic-params: ";name" or ";name=value", quoting values that need it. */
export function formatParams(params: ReadonlyMap<string, string | null>): string {
  let out = "";
  for (const [name, value] of params) {
    if (value === null) out += `;${name}`;
    else out += `;${name}=${isAllIn(value, GEN_VALUE) ? value : quote(value)}`;
  }
  return out;
}
