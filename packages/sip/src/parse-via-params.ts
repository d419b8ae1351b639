// via-params (RFC 3261 §20.42, §25.1; rport: RFC 3581 §3) read in one pass
// without building a Map: the parameters a proxy uses are picked out and the
// others only checked. ViaValue builds the Map if someone asks for it.
import { fail } from "./parse-error.js";
import { GEN_VALUE, isCharIn, skipWsp, TOKEN } from "./text-chars.js";
import { paramName, type ValueCursor } from "./value-cursor.js";

const QUOTE = 0x22;
const SEMI = 0x3b;
const EQUAL = 0x3d;

/** The well-known parameters of a Via: undefined when absent, null when valueless. */
export interface WellKnownViaParams {
  branch: string | null | undefined;
  received: string | null | undefined;
  rport: string | null | undefined;
  ttl: string | null | undefined;
  maddr: string | null | undefined;
}

/** Up to this many other parameters, repeated names are looked for in a list. */
const LIST_SEARCH_LIMIT = 8;

/** Remembers the names of other parameters, failing on a repeated one. */
class OtherNames {
  #list: string[] | undefined;
  #set: Set<string> | undefined;

  add(name: string): void {
    if (this.#set !== undefined) {
      if (this.#set.has(name)) fail("Duplicate Via parameter");
      this.#set.add(name);
      return;
    }
    this.#list ??= [];
    if (this.#list.includes(name)) fail("Duplicate Via parameter");
    this.#list.push(name);
    if (this.#list.length > LIST_SEARCH_LIMIT) this.#set = new Set(this.#list);
  }
}

/**
 * *( SEMI via-params ) from the cursor on, with generic-param syntax (see
 * ValueCursor.params, which reads the same text into a Map); a repeated
 * parameter is an error. Leaves the cursor after the last parameter.
 */
export function readViaParams(cursor: ValueCursor): WellKnownViaParams {
  const text = cursor.text;
  const end = cursor.end;
  const known: WellKnownViaParams = {
    branch: undefined,
    received: undefined,
    rport: undefined,
    ttl: undefined,
    maddr: undefined,
  };
  let others: OtherNames | undefined;
  for (;;) {
    let i = skipWsp(text, cursor.pos, end);
    if (i >= end || text.charCodeAt(i) !== SEMI) break;
    i = skipWsp(text, i + 1, end);
    const nameStart = i;
    while (i < end && isCharIn(text.charCodeAt(i), TOKEN)) i++;
    if (i === nameStart) fail("Bad Via parameter");
    const name = paramName(text.slice(nameStart, i));
    let value: string | null = null;
    const equal = skipWsp(text, i, end);
    if (equal < end && text.charCodeAt(equal) === EQUAL) {
      i = skipWsp(text, equal + 1, end);
      if (i < end && text.charCodeAt(i) === QUOTE) {
        cursor.pos = i;
        value = cursor.quoted();
        i = cursor.pos;
      } else {
        const valueStart = i;
        while (i < end && isCharIn(text.charCodeAt(i), GEN_VALUE)) i++;
        if (i === valueStart) fail("Bad Via parameter");
        value = text.slice(valueStart, i);
      }
    }
    cursor.pos = i;
    switch (name) {
      case "branch":
      case "received":
      case "rport":
      case "ttl":
      case "maddr":
        if (known[name] !== undefined) fail("Duplicate Via parameter");
        known[name] = value;
        break;
      default:
        others ??= new OtherNames();
        others.add(name);
    }
  }
  return known;
}
