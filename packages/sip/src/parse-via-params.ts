// via-params (RFC 3261 §20.42, §25.1; rport: RFC 3581 §3) read in one pass
// without building a Map: the parameters a proxy uses are picked out and the
// others only checked. ViaValue builds the Map if someone asks for it.
import { fail } from "./parse-error.js";
import type { ValueCursor } from "./value-cursor.js";

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
 * *( SEMI via-params ) from the cursor on, with generic-param syntax (ValueCursor.nextParam);
 * a repeated parameter is an error. Leaves the cursor after the last parameter.
 */
export function readViaParams(cursor: ValueCursor): WellKnownViaParams {
  let branch: string | null | undefined;
  let received: string | null | undefined;
  let rport: string | null | undefined;
  let ttl: string | null | undefined;
  let maddr: string | null | undefined;
  let others: OtherNames | undefined;
  while (cursor.nextParam("Via")) {
    const name = cursor.paramName;
    const value = cursor.paramValue;
    if (name === "branch") {
      if (branch !== undefined) fail("Duplicate Via parameter");
      branch = value;
    } else if (name === "rport") {
      if (rport !== undefined) fail("Duplicate Via parameter");
      rport = value;
    } else if (name === "received") {
      if (received !== undefined) fail("Duplicate Via parameter");
      received = value;
    } else if (name === "ttl") {
      if (ttl !== undefined) fail("Duplicate Via parameter");
      ttl = value;
    } else if (name === "maddr") {
      if (maddr !== undefined) fail("Duplicate Via parameter");
      maddr = value;
    } else {
      others ??= new OtherNames();
      others.add(name);
    }
  }
  return { branch, received, rport, ttl, maddr };
}
