// Contact (RFC 3261 §20.10, §25.1; +sip.instance and reg-id: RFC 5626 §4.1).
import type { ContactList, NameAddr } from "./message.js";
import { fail } from "./parse-error.js";
import { parseNameAddrList } from "./parse-name-addr.js";
import { parseDeltaSeconds } from "./parse-scalar.js";
import { trimWsp } from "./text-chars.js";

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
/** reg-id = 1*DIGIT in 1..2**31-1 (RFC 5626 §4.1). */
const REG_ID = /^[1-9]\d{0,9}$/;

function checkContactParams(contact: NameAddr): void {
  const q = contact.params.get("q");
  if (q === null || (q !== undefined && !QVALUE.test(q))) fail("Bad Contact q");
  const expires = contact.params.get("expires");
  if (expires === null) fail("Bad Contact expires");
  if (expires !== undefined) parseDeltaSeconds(expires, "Contact expires");
  const regId = contact.params.get("reg-id");
  if (
    regId === null ||
    (regId !== undefined && !(REG_ID.test(regId) && Number(regId) <= 0x7fffffff))
  ) {
    fail("Bad Contact reg-id");
  }
  if (contact.params.get("+sip.instance") === null) fail("Bad Contact +sip.instance");
}

/**
 * Parses the values of the Contact header fields of one message, in order:
 * "*" (allowed only alone, RFC 3261 §10.2.2) or a list of name-addrs whose q,
 * expires and reg-id parameters are well-formed.
 */
export function parseContactList(values: string | readonly string[]): ContactList {
  const list = typeof values === "string" ? [values] : values;
  if (list.length === 1 && trimWsp(list[0] ?? "") === "*") return { star: true };
  const contacts: NameAddr[] = [];
  for (const value of list) {
    if (trimWsp(value) === "*") fail("Bad Contact *");
    parseNameAddrList(value, contacts);
  }
  for (const contact of contacts) checkContactParams(contact);
  return { star: false, contacts };
}
